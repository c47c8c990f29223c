// Failed authentication is throttled per connection source on the WebSocket door: a burst of wrong
// tokens, then every attempt from that address is refused unheard until the window has passed; the right
// token works at once after it. Real `ws` sockets against the real door; time from a clock moved by hand.
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { silentLogger } from '../log';
import { createTokenIssuer } from './auth';
import { AUTH_BURST, AUTH_REFILL_MS, createAuthThrottle } from './auth-throttle';
import { connect } from './test-support/door-client';
import { createHub } from './hub';
import { createRouter } from './router';
import { startWsDoor, type WsDoor } from './ws-door';

let door: WsDoor | null = null;
afterEach(async () => {
  await door?.close();
  door = null;
});

async function setup() {
  let now = Date.UTC(2026, 0, 1);
  const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const tokens = createTokenIssuer();
  const hub = createHub();
  const router = createRouter({ handlers: {}, hub, tokens, logger: silentLogger, clock, getTaskView: () => undefined });
  door = await startWsDoor({ port: 0, router, hub, logger: silentLogger, http: { rendererDir: null, media: { open: () => Promise.reject(new Error('none')) }, tokens } });
  const token = await tokens.issue();
  const attempt = async (t: string) => {
    const c = await connect(door!.wsUrl);
    const reply = await c.ask({ type: 'auth', id: 1, payload: { token: t } });
    if (reply.type !== 'authenticated') await c.closed;
    else c.ws.close();
    return reply;
  };
  return { token, attempt, advance: (ms: number) => { now += ms; } };
}

describe('failed authentication is throttled per source', () => {
  it('after a burst of wrong tokens every attempt waits out the window; then the right token works at once', async () => {
    const { token, attempt, advance } = await setup();
    for (let i = 0; i < 10; i++) {
      expect((await attempt(`wrong-${i}`)).payload).toMatchObject({ code: 'UNAUTHORIZED', message: 'invalid, expired or previous-launch token' });
    }
    const refused = await attempt('wrong-again');
    expect(refused.payload).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/too many failed authentication attempts.*try again in \d+ s/) });
    // Inside the window even the right token is not looked at.
    expect((await attempt(token)).payload).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/too many failed/) });
    const wait = Number(/try again in (\d+) s/.exec((refused.payload as { message: string }).message)![1]);
    expect(wait).toBeGreaterThan(0);
    advance(wait * 1000);
    expect(await attempt(token)).toMatchObject({ type: 'authenticated' });
  });

  it('a steady stream of guesses gets one every few seconds, not hundreds', async () => {
    const { attempt, advance } = await setup();
    let heard = 0;
    // 300 guesses over 60 s of clock time.
    for (let i = 0; i < 300; i++) {
      const reply = await attempt(`guess-${i}`);
      if ((reply.payload as { message: string }).message === 'invalid, expired or previous-launch token') heard++;
      advance(200);
    }
    expect(heard).toBeLessThanOrEqual(10 + 60 / 3);
  });
});

describe('the throttle itself', () => {
  it('keeps sources apart, and counts every loopback address as one (a local program can pick any 127.x)', () => {
    let now = 0;
    const throttle = createAuthThrottle({ now: () => now });
    for (let i = 0; i < AUTH_BURST; i++) throttle.failed(`127.0.0.${i + 1}`);
    for (const same of ['::ffff:127.0.0.1', '127.9.9.9', '::1']) expect(throttle.waitMs(same), same).toBe(AUTH_REFILL_MS);
    expect(throttle.waitMs('192.0.2.7')).toBe(0);
    now += AUTH_REFILL_MS;
    expect(throttle.waitMs('::ffff:127.0.0.1')).toBe(0);
    throttle.failed('::ffff:127.0.0.1');
    expect(throttle.waitMs('::ffff:127.0.0.1')).toBe(AUTH_REFILL_MS);
  });

  it('remembers a bounded number of sources', () => {
    let now = 0;
    const throttle = createAuthThrottle({ now: () => now });
    for (let i = 0; i < 5_000; i++) {
      throttle.failed(`10.0.${i >> 8}.${i & 255}`);
      now += AUTH_REFILL_MS;
    }
    expect(throttle.size).toBeLessThanOrEqual(1_000);
    // Without time passing, the sources that failed longest ago are dropped first.
    for (let i = 0; i < 2_000; i++) throttle.failed(`10.1.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBeLessThanOrEqual(1_000);
  });
});
