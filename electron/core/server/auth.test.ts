import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { createTokenIssuer } from './auth';

/** A clock the test moves by hand: expiry is checked without waiting. */
function manualClock(start = Date.UTC(2025, 0, 1)): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, setTimeout: () => 0, clearTimeout: () => {}, advance: (ms) => (t += ms) };
}

describe('token issuer', () => {
  it('verifies its own token and returns the user id', async () => {
    const tokens = createTokenIssuer();
    expect(await tokens.verify(await tokens.issue())).toBe('local');
    expect(await tokens.verify(await tokens.issue('alice'))).toBe('alice');
  });

  it('refuses a token from a previous launch (another issuer)', async () => {
    const previous = createTokenIssuer();
    const current = createTokenIssuer();
    expect(await current.verify(await previous.issue())).toBeNull();
  });

  it('refuses an expired token and accepts it just before expiry', async () => {
    const clock = manualClock();
    const tokens = createTokenIssuer({ clock, ttlMs: 60_000 });
    const token = await tokens.issue();
    clock.advance(59_000);
    expect(await tokens.verify(token)).toBe('local');
    clock.advance(2_000);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('defaults to a 30-day lifetime', async () => {
    const clock = manualClock();
    const tokens = createTokenIssuer({ clock });
    const token = await tokens.issue();
    clock.advance(29 * 24 * 3600_000);
    expect(await tokens.verify(token)).toBe('local');
    clock.advance(2 * 24 * 3600_000);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses garbage, tampered and unsigned tokens', async () => {
    const tokens = createTokenIssuer();
    const good = await tokens.issue();
    const [h, p, s] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'admin', exp: 4102444800 })).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    for (const bad of ['', 'garbage', 'a.b.c', `${h}.${forgedPayload}.${s}`, unsigned, good.slice(0, -2), 'x'.repeat(5000)]) {
      expect(await tokens.verify(bad)).toBeNull();
    }
  });

  it('issues different tokens per launch for the same user', async () => {
    expect(await createTokenIssuer().issue()).not.toBe(await createTokenIssuer().issue());
  });
});
