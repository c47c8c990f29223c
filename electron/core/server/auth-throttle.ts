// Failed authentication per connection source (the peer's address on the WebSocket door): a token bucket
// of BURST failures refilled one every REFILL_MS. While a source's bucket is empty, its attempts are
// refused without looking at the token, so a guesser gets about 20 tries a minute, and the right token
// works at once when the window has passed. Only failures take from the bucket; a refusal for being
// throttled does not, so the window does not grow while someone keeps knocking.
// The door listens on loopback only, and a program on this machine can connect from any 127.x.y.z: all
// loopback addresses are therefore one source (else a guesser would take a fresh bucket per address).
import type { Clock } from '../clock';

export const AUTH_BURST = 10;
export const AUTH_REFILL_MS = 3_000;
/** Sources remembered at most; full buckets are forgotten first. */
const MAX_SOURCES = 1_000;

export interface AuthThrottle {
  /** How long this source must wait before an attempt is heard; 0 when it may try now. */
  waitMs(source: string): number;
  /** Counts a failed attempt from this source. */
  failed(source: string): void;
  /** Sources remembered now (bounded). */
  readonly size: number;
}

export function createAuthThrottle(clock: Pick<Clock, 'now'>, opts: { burst?: number; refillMs?: number } = {}): AuthThrottle {
  const burst = opts.burst ?? AUTH_BURST;
  const refillMs = opts.refillMs ?? AUTH_REFILL_MS;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const level = (source: string): { tokens: number; at: number } => {
    const now = clock.now();
    const b = buckets.get(source);
    if (!b) return { tokens: burst, at: now };
    return { tokens: Math.min(burst, b.tokens + Math.max(0, now - b.at) / refillMs), at: now };
  };

  return {
    get size() {
      return buckets.size;
    },
    waitMs(address) {
      const { tokens } = level(sourceOf(address));
      return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * refillMs);
    },
    failed(address) {
      const source = sourceOf(address);
      const b = level(source);
      buckets.delete(source);
      buckets.set(source, { tokens: b.tokens - 1, at: b.at });
      if (buckets.size > MAX_SOURCES) {
        for (const key of buckets.keys()) if (level(key).tokens >= burst) buckets.delete(key);
        // Still too many: the ones that failed longest ago go first (Map order is last-failure order).
        for (const key of buckets.keys()) {
          if (buckets.size <= MAX_SOURCES) break;
          buckets.delete(key);
        }
      }
    },
  };
}

/** The key a peer address is counted under: every loopback address (IPv4, IPv6, IPv4-mapped) is one. */
export function sourceOf(address: string): string {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (/^127\./.test(a) || a === '::1' || a === 'localhost') return 'loopback';
  return a;
}
