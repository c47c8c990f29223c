import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerEnvelope } from '@shared/contract/messages';
import { BackendClient, type ConnectionState, RequestError } from './client';
import { type FakeCore, startFakeCore, TEST_TOKEN, waitFor } from '../../../shared/client/test-support/fake-core';
import { createWsTransport, type SocketConstructor } from './ws-transport';

const Socket = WebSocket as unknown as SocketConstructor;
let core: FakeCore;
let client: BackendClient;

async function connect(token = TEST_TOKEN): Promise<ConnectionState[]> {
  core = await startFakeCore();
  client = new BackendClient(createWsTransport(core.url, token, Socket), { baseMs: 20, maxMs: 100, offlineAfter: 3 });
  const states: ConnectionState[] = [];
  client.onState((s) => states.push(s));
  client.start();
  return states;
}

afterEach(async () => {
  client?.stop();
  await core?.close();
});

describe('BackendClient over a real WebSocket', () => {
  it('authenticates first, then correlates replies to requests by id', async () => {
    await connect();
    core.handlers.set('getStats', (_m, reply) => reply('stats', { total: 3, byStatus: { COMPLETED: 3 } }));
    core.handlers.set('ping', (_m, reply) => setTimeout(() => reply('pong', {}), 30));
    await waitFor(() => client.connectionState === 'connected', 'connected');
    // The slow reply is sent last but must still reach its own caller.
    const [pong, stats] = await Promise.all([client.request('ping', {}), client.request('getStats', {})]);
    expect(pong.type).toBe('pong');
    expect(stats.payload).toEqual({ total: 3, byStatus: { COMPLETED: 3 } });
  });

  it('rejects an error envelope with the core code and message, and keeps working', async () => {
    await connect();
    core.handlers.set('getTask', (_m, reply) => reply('error', { code: 'NOT_FOUND', message: 'no task v1', videoId: 'v1' }));
    core.handlers.set('ping', (_m, reply) => reply('pong', {}));
    await waitFor(() => client.connectionState === 'connected', 'connected');
    const err = await client.request('getTask', { videoId: 'v1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'no task v1' });
    expect((await client.request('ping', {})).type).toBe('pong');
  });

  it('resolves a batch on taskStatusBatchDone; per-task errors are part of the answer', async () => {
    await connect();
    const seen: ServerEnvelope[] = [];
    client.onMessage((m) => seen.push(m));
    core.handlers.set('requestMultipleTaskStatus', (_m, reply) => {
      reply('error', { code: 'NOT_FOUND', message: 'gone', videoId: 'b' });
      reply('taskUpdated', { videoId: 'a' });
      reply('taskStatusBatchDone', { videoIds: ['a', 'b'], failed: ['b'] });
    });
    await waitFor(() => client.connectionState === 'connected', 'connected');
    const done = await client.request('requestMultipleTaskStatus', { videoIds: ['a', 'b'] }, 'taskStatusBatchDone');
    expect(done.payload).toEqual({ videoIds: ['a', 'b'], failed: ['b'] });
    expect(seen.map((m) => m.type)).toEqual(['error', 'taskUpdated', 'taskStatusBatchDone']);
  });

  it('fans pushes out to every subscriber', async () => {
    await connect();
    await waitFor(() => client.connectionState === 'connected', 'connected');
    const a: string[] = [];
    const b: string[] = [];
    client.onMessage((m) => a.push(m.type));
    const off = client.onMessage((m) => b.push(m.type));
    core.push('notice', { level: 'info', code: 'X', message: 'hello' });
    await waitFor(() => a.length === 1 && b.length === 1, 'both subscribers');
    off();
    core.push('notice', { level: 'info', code: 'X', message: 'again' });
    await waitFor(() => a.length === 2, 'first subscriber again');
    expect(b).toEqual(['notice']);
  });

  it('a refused token ends in the unauthorized state without retrying', async () => {
    const states = await connect('wrong-token-0123456789');
    await waitFor(() => client.connectionState === 'unauthorized', 'unauthorized');
    expect(states).toEqual(['unauthorized']);
    expect(core.authCount()).toBe(0);
  });

  it('after a drop: rejects what was in flight, reconnects with backoff, re-authenticates and signals ready again', async () => {
    const states = await connect();
    let ready = 0;
    client.onReady(() => (ready += 1));
    core.handlers.set('listTasks', () => undefined); // never answers: the drop must settle it
    await waitFor(() => ready === 1, 'first ready');
    const inFlight = client.request('listTasks', { limit: 1 }).catch((e: unknown) => e);
    await waitFor(() => core.received.length === 1, 'request reached the core');
    core.dropAll();
    expect(await inFlight).toMatchObject({ code: 'OFFLINE' });
    await waitFor(() => ready === 2, 'ready after reconnect');
    expect(core.authCount()).toBe(2);
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('a request while disconnected rejects at once with OFFLINE instead of hanging', async () => {
    await connect();
    await waitFor(() => client.connectionState === 'connected', 'connected');
    await core.close();
    await waitFor(() => client.connectionState !== 'connected', 'noticed the drop');
    await expect(client.request('ping', {})).rejects.toMatchObject({ code: 'OFFLINE' });
    await waitFor(() => client.connectionState === 'offline', 'offline after repeated failures');
  });
});
