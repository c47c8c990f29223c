// Where media (the player's stream, the library's download) may be fetched from: the provider's own origin,
// or a host its dialect names as a media host, over https; never a loopback, private or link-local address
// unless the provider itself is on this machine or the LAN (the demo, a test upstream, a local relay).
// The address is checked when the connection is made (the name's resolved address, so a name that
// resolves to 127.0.0.1 or 169.254.169.254 is refused too: DNS rebinding), and again on every redirect.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

/** An error code of ours on the connection: the name resolved to an address media may not come from. */
export const PRIVATE_ADDRESS = 'ESORADESK_PRIVATE_ADDRESS';

/** Loopback, private, link-local, unique-local or unspecified (IPv4, IPv6, IPv4-mapped IPv6). */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)?.[1] ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (Array.isArray(mapped)) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (typeof mapped === 'string') return isPrivateAddress(mapped);
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number);
    return x === 0 || x === 10 || x === 127 || (x === 169 && y === 254) || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168);
  }
  if (isIP(a) === 6) {
    if (a === '::1' || a === '::') return true;
    const first = parseInt(a.split(':')[0] || '0', 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  return false;
}

/** A host name that means this machine without any lookup. */
function isLocalName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** A name only a local network resolves: one label (`nas`), or under .local, .lan, .internal, .home.arpa. */
function isLanName(host: string): boolean {
  return !host.includes('.') || /\.(local|lan|internal|home\.arpa)$/.test(host);
}

/** The provider is on this machine or the LAN: its base URL names a loopback or private address. */
export function isLocalBaseUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (isIP(host) !== 0) return isPrivateAddress(host);
    return isLocalName(host) || isLanName(host);
  } catch {
    return false;
  }
}

/** `cdn.example.com` matches itself; `*.example.com` any name under example.com; `*` any host. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
}

export interface MediaRules {
  /** The provider's own origin (scheme, host, port). */
  origin: string;
  /** Hosts the dialect serves media from besides the provider's origin (patterns as in hostMatches). */
  mediaHosts: readonly string[];
  /** The provider is on this machine or the LAN: its media may be too. */
  local: boolean;
}

/** Why `url` may not be fetched as media, or null when it may (the address is checked at connect time). */
export function mediaRefusal(url: string, rules: MediaRules): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${u.protocol} is not http(s)`;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const own = u.origin === rules.origin;
  if (rules.local) {
    // The demo and local relays keep media on this machine or the LAN, or wherever their dialect says.
    if (own || isLocalName(host) || (isIP(host) !== 0 && isPrivateAddress(host))) return null;
  }
  if (!own && !rules.mediaHosts.some((p) => hostMatches(host, p))) return `${host} is neither the provider's host nor one of its dialect's media hosts`;
  if (!own && u.protocol !== 'https:') return 'media from another host must come over https';
  if (!rules.local && (isLocalName(host) || (isIP(host) !== 0 && isPrivateAddress(host)))) return `${host} is an address on this machine or the LAN`;
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the connection (http.request's option): resolves as dns.lookup does, then refuses a
 * loopback or private address unless the provider is local. Only a local provider skips the check.
 */
export function guardedLookup(local: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = local ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) {
        return callback(Object.assign(new Error(`${hostname} resolves to ${bad.address}, an address on this machine or the LAN`), { code: PRIVATE_ADDRESS }), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
