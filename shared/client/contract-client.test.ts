// The ContractClient over a real WebSocket to a scripted core: correlation, streamed replies, error
// mapping, pushes, and the reconnect machinery (the renderer's behaviour, now every client's).
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '../contract/messages';
import type { RequestType } from '../contract/messages';
import { AuthRejectedError } from './transport';
import { type ConnectionState, type ContractClient, ContractError } from './contract-client';
import { type FakeCore, fakeCoreClient, startFakeCore, waitFor } from './test-support/fake-core';

let core: FakeCore;
let client: ContractClient;

async function connect(token?: string, reconnect: false | undefined = undefined): Promise<ConnectionState[]> {
  core = await startFakeCore();
  client = fakeCoreClient(core, { token, reconnect: reconnect ?? { baseMs: 20, maxMs: 100, offlineAfter: 3 } });
  const states: ConnectionState[] = [];
  client.onState((s) => states.push(s));
  client.start();
  return states;
}

afterEach(async () => {
  client?.stop();
  await core?.close();
});

describe('ContractClient over a real WebSocket', () => {
  it('authenticates first, then correlates replies to requests by id and resolves with the payload', async () => {
    await connect();
    core.handlers.set('getStats', (_m, reply) => reply('stats', { total: 3, byStatus: { COMPLETED: 3 } }));
    core.handlers.set('ping', (_m, reply) => setTimeout(() => reply('pong', {}), 30));
    await waitFor(() => client.connectionState === 'connected', 'connected');
    // The slow reply is sent last but must still reach its own caller.
    const [pong, stats] = await Promise.all([client.request('ping'), client.request('getStats')]);
    expect(pong).toEqual({});
    expect(stats).toEqual({ total: 3, byStatus: { COMPLETED: 3 } });
    expect(core.received.map((m) => m.type)).toEqual(['ping', 'getStats']);
  });

  it('gives the whole reply envelope when asked, with the server time', async () => {
    await connect();
    core.handlers.set('listTasks', (_m, reply) => reply('taskList', { tasks: [], nextCursor: null, total: 0 }));
    await client.connect();
    const reply = await client.requestEnvelope('listTasks', { limit: 5 });
    expect(reply).toMatchObject({ type: 'taskList', id: expect.any(String), payload: { total: 0 } });
    expect(typeof reply.timestamp).toBe('number');
    expect(core.received[0]).toMatchObject({ type: 'listTasks', payload: { limit: 5 } });
  });

  it('rejects an error reply with the core code, message and videoId, and keeps working', async () => {
    await connect();
    core.handlers.set('getTask', (_m, reply) => reply('error', { code: 'NOT_FOUND', message: 'no task v1', videoId: 'v1' }));
    core.handlers.set('ping', (_m, reply) => reply('pong', {}));
    await client.connect();
    const err = await client.request('getTask', { videoId: 'v1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'no task v1', videoId: 'v1', envelope: { type: 'error' } });
    expect(await client.request('ping')).toEqual({});
  });

  it('a batch streams its per-task answers (errors about one task included) and resolves on taskStatusBatchDone', async () => {
    await connect();
    const seen: ServerEnvelope[] = [];
    client.onMessage((m) => seen.push(m));
    core.handlers.set('requestMultipleTaskStatus', (_m, reply) => {
      reply('error', { code: 'NOT_FOUND', message: 'gone', videoId: 'b' });
      reply('taskUpdated', { videoId: 'a' });
      reply('taskStatusBatchDone', { videoIds: ['a', 'b'], failed: ['b'] });
    });
    await client.connect();
    const items: string[] = [];
    const done = await client.request('requestMultipleTaskStatus', { videoIds: ['a', 'b'] }, {
      onItem: (m) => items.push(m.type === 'error' ? `error:${m.payload.videoId}` : `updated:${m.payload.videoId}`),
    });
    expect(done).toEqual({ videoIds: ['a', 'b'], failed: ['b'] });
    expect(items).toEqual(['error:b', 'updated:a']);
    expect(seen.map((m) => m.type)).toEqual(['error', 'taskUpdated', 'taskStatusBatchDone']);
  });

  it('a batch refused as a whole (an error naming no task) rejects', async () => {
    await connect();
    core.handlers.set('requestMultipleTaskStatus', (_m, reply) => reply('error', { code: 'BAD_REQUEST', message: 'payload.videoIds: too big' }));
    await client.connect();
    await expect(client.request('requestMultipleTaskStatus', { videoIds: ['a'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('a request the route table does not know (a newer core\'s) ends at its first reply', async () => {
    await connect();
    core.handlers.set('listModels', (_m, reply) => reply('models', { models: ['sora-2'] }));
    await client.connect();
    const unknownType = 'listModels' as RequestType;
    expect(await client.request(unknownType as 'ping')).toEqual({ models: ['sora-2'] });
  });

  it('fans every message out to onMessage, and pushes (no id) to onPush', async () => {
    await connect();
    core.handlers.set('ping', (_m, reply) => reply('pong', {}));
    await client.connect();
    const all: string[] = [];
    const pushes: string[] = [];
    const off = client.onMessage((m) => all.push(m.type));
    client.onPush((m) => pushes.push(m.type));
    core.push('settings', { settings: { language: 'zh-CN' } });
    await client.request('ping');
    await waitFor(() => pushes.length === 1, 'the push');
    expect(all).toEqual(['settings', 'pong']);
    expect(pushes).toEqual(['settings']);
    off();
    core.push('notice', { level: 'info', code: 'X', message: 'again' });
    await waitFor(() => pushes.length === 2, 'second push');
    expect(all).toEqual(['settings', 'pong']);
  });

  it('a refused token ends in the unauthorized state without retrying; connect() says why', async () => {
    const states = await connect('wrong-token-0123456789');
    await expect(client.connect()).rejects.toBeInstanceOf(AuthRejectedError);
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
    await client.connect();
    await core.close();
    await waitFor(() => client.connectionState !== 'connected', 'noticed the drop');
    await expect(client.request('ping')).rejects.toMatchObject({ code: 'OFFLINE' });
    await waitFor(() => client.connectionState === 'offline', 'offline after repeated failures');
  });

  it('without reconnecting (a script, a test), a drop leaves it offline and it does not try again', async () => {
    const states = await connect(undefined, false);
    await client.connect();
    core.dropAll();
    await waitFor(() => client.connectionState === 'offline', 'offline');
    await new Promise((r) => setTimeout(r, 100));
    expect(core.authCount()).toBe(1);
    expect(states).toEqual(['connected', 'offline']);
  });
});
