import { afterEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import WebSocket from 'ws';
import { AppError } from '@shared/contract/errors';
import { ServerSchemas } from '@shared/contract/messages';
import type { Clock } from '../clock';
import { createLogger } from '../log';
import { createTokenIssuer } from './auth';
import { connect, rawGet, sampleView, startTestDoor, upgradeHeaders, type TestDoor } from './test-support/door-client';

function externalAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

let current: TestDoor | null = null;
afterEach(async () => {
  await current?.door.close();
  current = null;
});
const start = async (...args: Parameters<typeof startTestDoor>) => (current = await startTestDoor(...args));

describe('WebSocket door: auth', () => {
  it('accepts the launch token, replies authenticated with the user and echoes the id', async () => {
    const t = await start();
    const c = await connect(t.door.wsUrl);
    const reply = await c.ask({ type: 'auth', id: 'a1', payload: { token: t.token } });
    expect(reply).toMatchObject({ type: 'authenticated', id: 'a1', payload: { user: { id: 'local' } } });
    expect(typeof reply.timestamp).toBe('number');
    expect(await c.ask({ type: 'ping', id: 7 })).toMatchObject({ type: 'pong', id: 7, payload: {} });
  });

  it.each([
    ['a wrong token', async () => 'not-a-token'],
    ['a previous launch token', async () => createTokenIssuer().issue()],
  ])('refuses %s: error UNAUTHORIZED then close 4401', async (_name, makeToken) => {
    const t = await start();
    const c = await connect(t.door.wsUrl);
    const reply = await c.ask({ type: 'auth', id: 1, payload: { token: await makeToken() } });
    expect(reply).toMatchObject({ type: 'error', id: 1, payload: { code: 'UNAUTHORIZED' } });
    expect(await c.closed).toBe(4401);
  });

  it('refuses an expired token (clock moved past its lifetime)', async () => {
    let now = Date.UTC(2025, 0, 1);
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
    const tokens = createTokenIssuer({ clock, ttlMs: 60_000 });
    const t = await start({ tokens });
    now += 61_000;
    const c = await connect(t.door.wsUrl);
    expect(await c.ask({ type: 'auth', payload: { token: t.token } })).toMatchObject({ type: 'error', payload: { code: 'UNAUTHORIZED' } });
    expect(await c.closed).toBe(4401);
  });

  it.each([
    ['a request', { type: 'ping', id: 'p' }],
    ['malformed JSON', '{not json'],
    ['an envelope without type', { id: 3 }],
    ['auth without a token', { type: 'auth', payload: {} }],
  ])('closes 4401 on %s before auth', async (_name, frame) => {
    const t = await start();
    const c = await connect(t.door.wsUrl);
    expect((await c.ask(frame)).payload).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await c.closed).toBe(4401);
  });

  it('closes 4401 on a binary frame before auth', async () => {
    const t = await start();
    const c = await connect(t.door.wsUrl);
    c.ws.send(Buffer.from([1, 2, 3]));
    expect((await c.next()).payload).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await c.closed).toBe(4401);
  });

  it('closes 4408 when no auth arrives in time', async () => {
    const t = await start({ authTimeoutMs: 100 });
    const c = await connect(t.door.wsUrl);
    expect(await c.closed).toBe(4408);
  });

  it('serves a request pipelined right behind auth', async () => {
    const t = await start();
    const c = await connect(t.door.wsUrl);
    c.send({ type: 'auth', payload: { token: t.token } });
    c.send({ type: 'ping', id: 'fast' });
    expect((await c.next()).type).toBe('authenticated');
    expect(await c.next()).toMatchObject({ type: 'pong', id: 'fast' });
  });
});

describe('WebSocket door: requests after auth', () => {
  it('answers bad JSON with BAD_JSON and keeps answering', async () => {
    const t = await start();
    const c = await t.authed();
    expect(await c.ask('{"type":')).toMatchObject({ type: 'error', payload: { code: 'BAD_JSON' } });
    expect(await c.ask({ type: 'ping', id: 2 })).toMatchObject({ type: 'pong', id: 2 });
  });

  it('answers an unknown type and a type with no handler with UNKNOWN_TYPE, echoing ids', async () => {
    const t = await start();
    const c = await t.authed();
    expect(await c.ask({ type: 'launchRocket', id: 'x' })).toMatchObject({ type: 'error', id: 'x', payload: { code: 'UNKNOWN_TYPE' } });
    expect(await c.ask({ type: 'getStats', id: 11 })).toMatchObject({ type: 'error', id: 11, payload: { code: 'UNKNOWN_TYPE' } });
  });

  it('answers a bad payload with BAD_REQUEST naming the field', async () => {
    const t = await start();
    const c = await t.authed();
    const reply = await c.ask({ type: 'subscribe_task', id: 'b', payload: { videoId: 42 } });
    expect(reply).toMatchObject({ type: 'error', id: 'b', payload: { code: 'BAD_REQUEST' } });
    expect((reply.payload as { message: string }).message).toContain('payload.videoId');
    const missing = await c.ask({ type: 'createTask', id: 'c', payload: {} });
    expect((missing.payload as { message: string }).message).toContain('payload.prompt');
    expect(await c.ask({ type: 'ping', id: 'still' })).toMatchObject({ type: 'pong', id: 'still' });
  });

  it('answers a bad envelope and a binary frame with BAD_REQUEST', async () => {
    const t = await start();
    const c = await t.authed();
    expect(await c.ask({ type: 'ping', id: 5, payload: 'nope' })).toMatchObject({ type: 'error', id: 5, payload: { code: 'BAD_REQUEST' } });
    c.ws.send(Buffer.from('{"type":"ping"}'));
    expect(await c.next()).toMatchObject({ type: 'error', payload: { code: 'BAD_REQUEST' } });
    expect(await c.ask({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('routes to handlers: AppError keeps its code, anything else is INTERNAL', async () => {
    const t = await start({
      handlers: {
        getStats: (_p, ctx) => ctx.reply('stats', { total: 3, byStatus: { COMPLETED: 3 } as never }),
        getTask: ({ videoId }) => { throw new AppError('NOT_FOUND', `no task ${videoId}`, videoId); },
        cancelTask: () => { throw new Error('disk on fire at /secret/path'); },
      },
    });
    const c = await t.authed();
    expect(await c.ask({ type: 'getStats', id: 's' })).toMatchObject({ type: 'stats', id: 's', payload: { total: 3 } });
    expect(await c.ask({ type: 'getTask', id: 'g', payload: { videoId: 'v9' } }))
      .toMatchObject({ type: 'error', id: 'g', payload: { code: 'NOT_FOUND', videoId: 'v9' } });
    expect(await c.ask({ type: 'cancelTask', id: 'k', payload: { videoId: 'v9' } }))
      .toMatchObject({ type: 'error', id: 'k', payload: { code: 'INTERNAL', message: 'internal error (see log)' } });
  });

  it('subscribes (current view), refuses an unknown task, unsubscribes', async () => {
    const t = await start();
    t.views.set('v1', sampleView('v1'));
    const c = await t.authed();
    const sub = await c.ask({ type: 'subscribe_task', id: 1, payload: { videoId: 'v1' } });
    expect(sub).toMatchObject({ type: 'taskUpdated', id: 1, payload: { videoId: 'v1', status: 'PROCESSING' } });
    expect(ServerSchemas.taskUpdated.safeParse(sub.payload).success).toBe(true);
    expect(t.hub.isWatched('v1')).toBe(true);
    expect(await c.ask({ type: 'subscribe_task', id: 2, payload: { videoId: 'nope' } }))
      .toMatchObject({ type: 'error', id: 2, payload: { code: 'NOT_FOUND', videoId: 'nope' } });
    expect(await c.ask({ type: 'unsubscribe_task', id: 3, payload: { videoId: 'v1' } }))
      .toMatchObject({ type: 'unsubscribed', id: 3, payload: { videoId: 'v1' } });
    expect(t.hub.isWatched('v1')).toBe(false);
  });

  it('pushes taskUpdated once per connection even when it is in both rooms', async () => {
    const t = await start();
    t.views.set('v1', sampleView('v1'));
    const both = await t.authed();
    const userOnly = await t.authed();
    await both.ask({ type: 'subscribe_task', payload: { videoId: 'v1' } });
    t.hub.publishTask('local', sampleView('v1', { progress: 55 }));
    t.hub.publishTask('local', sampleView('v1', { progress: 60 }));
    // If the first push had been sent twice, the second message would still say 55.
    for (const c of [both, userOnly]) {
      const first = await c.next();
      expect(first).toMatchObject({ type: 'taskUpdated', payload: { progress: 55 } });
      expect(first.id).toBeUndefined();
      expect(await c.next()).toMatchObject({ type: 'taskUpdated', payload: { progress: 60 } });
    }
  });

  it('drops a closed connection from its rooms', async () => {
    const t = await start();
    t.views.set('v1', sampleView('v1'));
    const c = await t.authed();
    await c.ask({ type: 'subscribe_task', payload: { videoId: 'v1' } });
    c.ws.close();
    await c.closed;
    await expect.poll(() => t.hub.isWatched('v1')).toBe(false);
  });
});

describe('WebSocket door: handshake and transport limits', () => {
  it.each([
    ['a foreign Origin', { Origin: 'http://evil.example' }],
    ['the null Origin', { Origin: 'null' }],
    ['a wrong Host', { Host: 'evil.example' }],
    ['the right host on another port', { Host: '127.0.0.1:1' }],
    ['an empty Host', { Host: '' }],
  ])('answers HTTP 403 without upgrading for %s', async (_name, headers) => {
    const t = await start();
    const res = await rawGet(t.door.port, '/ws', upgradeHeaders(headers));
    expect(res.upgraded).toBe(false);
    expect(res.status).toBe(403);
  });

  it('upgrades for its own origins, an allowed extra origin and a client without Origin', async () => {
    const t = await start({ allowedOrigins: ['app://soradesk'] });
    for (const origin of [`http://127.0.0.1:${t.door.port}`, `http://localhost:${t.door.port}`, 'app://soradesk', undefined]) {
      const res = await rawGet(t.door.port, '/ws', upgradeHeaders(origin ? { Origin: origin } : {}));
      expect(res.upgraded).toBe(true);
    }
    const viaLocalhost = await rawGet(t.door.port, '/ws', upgradeHeaders({ Host: `localhost:${t.door.port}` }));
    expect(viaLocalhost.upgraded).toBe(true);
  });

  it('refuses a foreign origin through a real ws client too', async () => {
    const t = await start();
    await expect(connect(t.door.wsUrl, { origin: 'https://attacker.example' })).rejects.toThrow(/403/);
  });

  it('closes 1009 on a frame above 1 MiB', async () => {
    const t = await start();
    const c = await t.authed();
    c.send({ type: 'ping', payload: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    expect(await c.closed).toBe(1009);
  });

  it('terminates a peer that does not answer protocol pings', async () => {
    const t = await start({ heartbeatMs: 50 });
    const deaf = await connect(t.door.wsUrl, { autoPong: false });
    const healthy = await t.authed();
    // 1006: the server cut the TCP connection without a close frame.
    expect(await deaf.closed).toBe(1006);
    expect(await healthy.ask({ type: 'ping', id: 'alive' })).toMatchObject({ type: 'pong', id: 'alive' });
  });

  it('drops a reader that stops reading once its send buffer passes the limit, and logs it', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const t = await start({ maxBufferedBytes: 256 * 1024, logger });
    const slow = await t.authed();
    const other = await t.authed();
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = sampleView('v1', { prompt: 'p'.repeat(32_000) });
    // Push until the slow reader's buffer overflows; the kernel absorbs a few MiB first.
    for (let i = 0; i < 4000 && !lines.some((l) => l.includes('too slow')); i++) {
      t.hub.publishTask('local', big);
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(lines.some((l) => l.includes('too slow'))).toBe(true);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.closed).toBe(1006);
    other.ws.terminate();
  });

  it('closes every client with 1001 when the door stops', async () => {
    const t = await start();
    const c = await t.authed();
    await t.door.close();
    expect(await c.closed).toBe(1001);
    await expect(connect(t.door.wsUrl)).rejects.toThrow();
  });

  it.skipIf(!externalAddress())('is not reachable on a non-loopback address', async () => {
    const t = await start();
    const attempt = new WebSocket(`ws://${externalAddress()}:${t.door.port}/ws`);
    const outcome = await new Promise<string>((resolve) => {
      attempt.once('open', () => resolve('open'));
      attempt.once('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});
