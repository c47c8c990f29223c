import { describe, expect, it } from 'vitest';
import { hostMatches, isLocalBaseUrl, isPrivateAddress, mediaRefusal } from './media-guard';

describe('which addresses are this machine or the LAN', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.10', '169.254.169.254', '0.0.0.0',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '[::1]',
  ])('%s is private', (a) => expect(isPrivateAddress(a)).toBe(true));
  it.each(['93.184.216.34', '172.15.0.1', '172.32.0.1', '192.169.0.1', '169.253.0.1', '8.8.8.8', '2606:4700::1', 'fec0::1', '::ffff:8.8.8.8'])(
    '%s is public', (a) => expect(isPrivateAddress(a)).toBe(false));

  it('a provider is local when its base URL names loopback, a private address or localhost', () => {
    for (const u of ['http://127.0.0.1:9000', 'http://localhost:1', 'http://[::1]:8080/v1', 'http://192.168.1.5', 'http://demo.localhost']) expect(isLocalBaseUrl(u), u).toBe(true);
    for (const u of ['https://api.openai.com', 'https://relay.example.com', 'http://10.example.com', 'not a url']) expect(isLocalBaseUrl(u), u).toBe(false);
  });

  it('media host patterns match the host or, with *., the names under it', () => {
    expect(hostMatches('v3.fal.media', '*.fal.media')).toBe(true);
    expect(hostMatches('fal.media', '*.fal.media')).toBe(false);
    expect(hostMatches('evilfal.media', '*.fal.media')).toBe(false);
    expect(hostMatches('replicate.delivery', 'replicate.delivery')).toBe(true);
    expect(hostMatches('x.replicate.delivery', 'replicate.delivery')).toBe(false);
  });
});

describe('mediaRefusal', () => {
  const remote = { origin: 'https://api.example.com', mediaHosts: ['*.cdn.example.net'], local: false };
  const local = { origin: 'http://127.0.0.1:4000', mediaHosts: [], local: true };
  it.each([
    ['https://api.example.com/v1/videos/x/content', remote, null],
    ['https://v1.cdn.example.net/x.mp4', remote, null],
    ['http://v1.cdn.example.net/x.mp4', remote, 'must come over https'],
    ['https://elsewhere.example.org/x.mp4', remote, 'neither the provider'],
    ['https://127.0.0.1/x.mp4', remote, 'neither the provider'],
    ['file:///etc/passwd', remote, 'not http'],
    ['http://127.0.0.1:4001/x.mp4', local, null],
    ['http://localhost:4001/x.mp4', local, null],
    ['http://127.0.0.1:4000/v1/videos/x/content', local, null],
    ['http://cdn.example.net/x.mp4', local, 'neither the provider'],
  ] as const)('%s', (url, rules, refusal) => {
    const said = mediaRefusal(url, rules);
    if (refusal === null) expect(said).toBeNull();
    else expect(said).toContain(refusal);
  });

  it('a public provider\'s own host given as a private address literal is refused', () => {
    expect(mediaRefusal('https://10.0.0.5/x', { origin: 'https://10.0.0.5', mediaHosts: [], local: false })).toContain('on this machine or the LAN');
  });
});
