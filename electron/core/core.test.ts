// The whole core as a client meets it: every message of the contract over a real WebSocket,
// with the demo simulator upstream, a real data dir and settings file. Every frame the server
// sends is checked against the shared schemas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerSchemas, type ServerEnvelope, type ServerType } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { TaskView } from '@shared/contract/task';
import { createCore } from './core';
import type { ConnectionInfo, Core } from './core-types';
import { silentLogger } from './log';
import { MemorySecretStore } from './secrets/memory-secret-store';
import { createConfBackend } from './settings/conf-backend';
import { ApiClient } from './test-support/api-client';

let dataDir: string;
let core: Core;
let info: ConnectionInfo;
const clients: ApiClient[] = [];

async function client(): Promise<ApiClient> {
  const c = await ApiClient.connect(info.wsUrl, info.token);
  clients.push(c);
  return c;
}

/** Every frame the server sent is a valid envelope of its type. */
function expectValidFrames(c: ApiClient): void {
  for (const m of c.messages) {
    expect(typeof m.timestamp).toBe('number');
    const schema = ServerSchemas[m.type as ServerType];
    expect(schema, `known server type ${m.type}`).toBeDefined();
    const parsed = schema.safeParse(m.payload);
    expect(parsed.success, `${m.type} payload ${JSON.stringify(m.payload)}`).toBe(true);
  }
}

const task = (m: ServerEnvelope) => (m.type === 'taskCreated' ? (m.payload as { task: TaskView }).task : (m.payload as TaskView));

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-core-'));
  core = createCore({
    dataDir,
    settings: createConfBackend({ cwd: dataDir }),
    secrets: new MemorySecretStore(),
    logger: silentLogger,
    demoJobDurationMs: 1500,
    locale: 'en-US',
  });
  info = await core.start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) expectValidFrames(c);
  await Promise.all(clients.map((c) => c.close()));
  await core.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the local API contract over WebSocket', () => {
  it('runs the seed flow: create, processing, completed via requestTaskStatus with the fresh state', async () => {
    const c = await client();
    const created = await c.request('createTask', { prompt: 'A calico cat playing a piano on stage', seconds: 4, size: '720x1280' });
    expect(created.type).toBe('taskCreated');
    const t = task(created);
    expect(t).toMatchObject({ status: 'PENDING', providerId: 'demo', seconds: '4', size: '720x1280', externalId: null });

    await c.waitFor((m) => m.type === 'taskUpdated' && task(m).videoId === t.videoId && task(m).externalId !== null, { includePast: true });
    // Ask until the upstream says completed; each reply is the state after the upstream answered.
    let reply: ServerEnvelope;
    do {
      await new Promise((r) => setTimeout(r, 200));
      reply = await c.request('requestTaskStatus', { videoId: t.videoId });
      expect(reply.type).toBe('taskUpdated');
    } while (task(reply).status !== 'COMPLETED');
    expect(task(reply)).toMatchObject({ status: 'COMPLETED', progress: 100 });
    expect(task(reply).completedAt).not.toBeNull();
    // Asking again costs nothing upstream and still says COMPLETED (sticky).
    expect(task(await c.request('requestTaskStatus', { videoId: t.videoId })).status).toBe('COMPLETED');
  });

  it('pushes changes nobody asked for, once per connection even in both rooms', async () => {
    const watcher = await client();
    const other = await client();
    const created = await watcher.request('createTask', { prompt: 'pushed by the poller' });
    const id = task(created).videoId;
    const sub = await watcher.request('subscribe_task', { videoId: id });
    expect(sub.type).toBe('taskUpdated');
    await watcher.request('updateSettings', { pollIntervalMs: 250 });

    for (const c of [watcher, other]) await c.waitFor((m) => m.type === 'taskUpdated' && !m.id && task(m).videoId === id && task(m).status === 'COMPLETED', { includePast: true });
    // No duplicate pushes of one state to the subscribed connection (it is in the user room too).
    const states = watcher.messages.filter((m) => m.type === 'taskUpdated' && !m.id && task(m).videoId === id).map((m) => `${task(m).status}:${task(m).progress}:${task(m).updatedAt}`);
    expect(new Set(states).size).toBe(states.length);

    const unsub = await watcher.request('unsubscribe_task', { videoId: id });
    expect(unsub).toMatchObject({ type: 'unsubscribed', payload: { videoId: id } });
  });

  it('answers a batch with per-id results, an error for a missing id, then taskStatusBatchDone', async () => {
    const c = await client();
    const a = task(await c.request('createTask', { prompt: 'batch a' })).videoId;
    const b = task(await c.request('createTask', { prompt: 'batch b' })).videoId;
    c.send({ type: 'requestMultipleTaskStatus', id: 'batch', payload: { videoIds: [a, 'missing-id', b] } });
    const done = await c.waitFor((m) => m.type === 'taskStatusBatchDone', { includePast: true });
    expect(done).toMatchObject({ id: 'batch', payload: { videoIds: [a, 'missing-id', b], failed: ['missing-id'] } });
    const replies = c.messages.filter((m) => m.id === 'batch' && m.type !== 'taskStatusBatchDone');
    expect(replies.filter((m) => m.type === 'taskUpdated').map((m) => task(m).videoId).sort()).toEqual([a, b].sort());
    expect(replies.find((m) => m.type === 'error')?.payload).toMatchObject({ code: 'NOT_FOUND', videoId: 'missing-id' });
  });

  it('serves task management: track, get, list with filter/search/cursor, cancel, retry, remix, delete, stats', async () => {
    const c = await client();
    const ids: string[] = [];
    const names = ['zero', 'one', 'two', 'three', 'four'];
    for (let i = 0; i < 5; i++) ids.push(task(await c.request('createTask', { prompt: `list me ${names[i]}` })).videoId);

    const page1 = await c.request('listTasks', { limit: 2 });
    const p1 = page1.payload as { tasks: TaskView[]; nextCursor: string | null; total: number };
    expect(p1.total).toBe(5);
    expect(p1.tasks.map((t) => t.videoId)).toEqual([ids[4], ids[3]]); // newest first
    const page2 = (await c.request('listTasks', { limit: 2, cursor: p1.nextCursor })).payload as typeof p1;
    expect(page2.tasks.map((t) => t.videoId)).toEqual([ids[2], ids[1]]);
    // Words in any order, any case; the reply also says how many there are in all.
    const found = (await c.request('listTasks', { search: 'THREE me' })).payload as typeof p1 & { unfiltered: number };
    expect(found.tasks.map((t) => t.videoId)).toEqual([ids[3]]);
    expect(found).toMatchObject({ total: 1, unfiltered: 5 });
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect(((await c.request('listTasks', { from: hourAgo, to: '2999-01-01T00:00:00Z' })).payload as typeof p1).total).toBe(5);
    expect(((await c.request('listTasks', { to: hourAgo })).payload as typeof p1).total).toBe(0);
    expect((await c.request('listTasks', { from: 'yesterday' })).payload).toMatchObject({ code: 'BAD_REQUEST' });

    const cancelled = await c.request('cancelTask', { videoId: ids[0] });
    expect(task(cancelled).status).toBe('CANCELLED');
    const onlyCancelled = (await c.request('listTasks', { status: 'CANCELLED' })).payload as typeof p1;
    expect(onlyCancelled.tasks.map((t) => t.videoId)).toEqual([ids[0]]);

    const retried = await c.request('retryTask', { videoId: ids[0] });
    expect(retried.type).toBe('taskCreated');
    expect(task(retried)).toMatchObject({ prompt: 'list me zero', status: 'PENDING' });
    expect(task(retried).videoId).not.toBe(ids[0]);

    // A remix needs a finished source.
    const notDone = await c.request('remixTask', { videoId: ids[1], prompt: 'at night' });
    expect(notDone.payload).toMatchObject({ code: 'CONFLICT' });
    await c.request('updateSettings', { pollIntervalMs: 250 });
    await c.waitFor((m) => m.type === 'taskUpdated' && task(m).videoId === ids[1] && task(m).status === 'COMPLETED', { includePast: true });
    const source = task(await c.request('getTask', { videoId: ids[1] }));
    const remix = await c.request('remixTask', { videoId: ids[1], prompt: 'at night' });
    expect(remix.type).toBe('taskCreated');
    expect(task(remix).remixOf).toBe(ids[1]);
    expect(task(remix).prompt).toBe('at night');

    // Follow a job created elsewhere (here: the source's upstream job).
    const tracked = await c.request('trackTask', { providerId: 'demo', externalId: source.externalId });
    expect(task(tracked)).toMatchObject({ externalId: source.externalId, providerId: 'demo' });
    expect(['QUEUED', 'PROCESSING', 'COMPLETED']).toContain(task(tracked).status);

    const stats = (await c.request('getStats')).payload as { total: number; byStatus: Record<string, number> };
    expect(stats.total).toBe(8);
    expect(Object.values(stats.byStatus).reduce((a, b) => a + b, 0)).toBe(8);
    expect(stats.byStatus.CANCELLED).toBe(1);

    const deleted = await c.request('deleteTask', { videoId: ids[2] });
    expect(deleted).toMatchObject({ type: 'taskDeleted', payload: { videoId: ids[2] } });
    expect((await c.request('getTask', { videoId: ids[2] })).payload).toMatchObject({ code: 'NOT_FOUND', videoId: ids[2] });
  });

  it('manages providers and settings without ever returning a key', async () => {
    const c = await client();
    const listed = (await c.request('listProviders')).payload as { providers: ProviderView[] };
    expect(listed.providers.map((p) => [p.id, p.dialect, p.builtIn, p.hasApiKey])).toEqual([
      ['demo', 'openai', true, false], ['demo-gemini', 'gemini', true, false], ['demo-fal', 'fal', true, false], ['demo-replicate', 'replicate', true, false],
    ]);

    const key = 'test-key-0123456789abcdef';
    const saved = await c.request('saveProvider', { name: 'Relay', dialect: 'sora', baseUrl: 'http://127.0.0.1:9', apiKey: key, rateLimitPerMinute: 30 });
    const view = (saved.payload as { provider: ProviderView }).provider;
    expect(view).toMatchObject({ name: 'Relay', dialect: 'sora', hasApiKey: true, apiKeyHint: 'cdef', rateLimitPerMinute: 30, builtIn: false });
    const settings = (await c.request('getSettings')).payload as { settings: Record<string, unknown> };
    expect(settings.settings).toMatchObject({ defaultProviderId: view.id, pollIntervalMs: 10000, language: 'en' });

    const tested = await c.request('testProvider', { id: view.id });
    expect(tested).toMatchObject({ type: 'providerTested', payload: { id: view.id, ok: false } });

    const bad = await c.request('updateSettings', { pollIntervalMs: 10 });
    expect(bad.payload).toMatchObject({ code: 'BAD_REQUEST' });
    const good = await c.request('updateSettings', { language: 'zh-CN' });
    expect((good.payload as { settings: { language: string } }).settings.language).toBe('zh-CN');

    expect((await c.request('deleteProvider', { id: 'demo' })).payload).toMatchObject({ code: 'CONFLICT' });
    expect(await c.request('deleteProvider', { id: view.id })).toMatchObject({ type: 'providerDeleted', payload: { id: view.id } });
    expect((await c.request('getSettings')).payload).toMatchObject({ settings: { defaultProviderId: 'demo' } });
    expect((await c.request('getUpdateState')).payload).toEqual({ state: 'unsupported' });
    expect(c.messages.some((m) => JSON.stringify(m).includes(key))).toBe(false);
  });

  it('serves batches, holds, spend and BUDGET_EXCEEDED as a script meets them', async () => {
    const c = await client();
    await c.request('updateSettings', { pollIntervalMs: 250, budget: { dailyLimit: 1, monthlyLimit: null } });
    const demo = ((await c.request('listProviders')).payload as { providers: ProviderView[] }).providers[0];
    const priced = { ...demo.models[0], pricePerSecond: 0.1, origin: 'user' };
    const saved = await c.request('saveProvider', { name: 'Priced', dialect: 'openai', baseUrl: demo.baseUrl, models: [priced], maxActiveJobs: 1 });
    const provider = (saved.payload as { provider: ProviderView }).provider;
    expect(provider).toMatchObject({ maxActiveJobs: 1, budget: { dailyLimit: null, monthlyLimit: null } });
    const items = ['one', 'two', 'three'].map((p) => ({ prompt: `batch ${p}`, providerId: provider.id, seconds: 4 }));
    const created = (await c.request('createBatch', { name: 'three', items })).payload as { batch: { id: string; held: number; estimate: number }; tasks: TaskView[] };
    expect(created.batch).toMatchObject({ held: 2, estimate: 1.2 });
    expect(created.tasks.map((t) => t.holdReason)).toEqual([null, 'slot', 'slot']);
    await c.waitFor((m) => m.type === 'batchUpdated' && (m.payload as { batch: { counts: { COMPLETED: number } } }).batch.counts.COMPLETED === 2);
    // 0.80 spent today: a third 0.40 would pass the daily 1.00. The batch item waits; a new creation is refused.
    const refused = await c.request('createTask', { prompt: 'one more', providerId: provider.id, seconds: 4 });
    expect(refused.payload).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(((await c.request('listBatches')).payload as { batches: Array<{ held: number; state: string }> }).batches[0]).toMatchObject({ held: 1, state: 'running' });
    const spend = (await c.request('getSpend', { groupBy: 'provider' })).payload as { rows: unknown[]; total: Record<string, number> };
    expect(spend).toMatchObject({ rows: [{ key: provider.id, amount: 0.8, currency: 'USD', tasks: 2 }], total: { USD: 0.8 } });
    expect(await c.request('pauseBatch', { id: created.batch.id })).toMatchObject({ type: 'batchUpdated', payload: { batch: { state: 'paused' } } });
    expect(await c.request('resumeBatch', { id: created.batch.id })).toMatchObject({ type: 'batchUpdated', payload: { batch: { state: 'running' } } });
    expect(await c.request('cancelBatch', { id: created.batch.id })).toMatchObject({ type: 'batchUpdated', payload: { batch: { state: 'cancelled', counts: { CANCELLED: 1 } } } });
    expect((await c.request('retryBatch', { id: 'nope' })).payload).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the connection open after every kind of error and echoes ids', async () => {
    const c = await client();
    c.send('{not json');
    expect((await c.waitFor((m) => m.type === 'error', { includePast: true })).payload).toMatchObject({ code: 'BAD_JSON' });
    expect(await c.request('noSuchThing')).toMatchObject({ type: 'error', payload: { code: 'UNKNOWN_TYPE' } });
    expect((await c.request('createTask', { prompt: '' })).payload).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await c.request('createTask', { prompt: 'x', providerId: 'nope' })).payload).toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.request('requestTaskStatus', { videoId: 'nope' })).payload).toMatchObject({ code: 'NOT_FOUND', videoId: 'nope' });
    c.send({ type: 'getStats', id: 'null-payload', payload: null });
    expect(await c.waitFor((m) => m.id === 'null-payload')).toMatchObject({ type: 'stats', payload: { total: 0 } });
    c.send({ type: 'ping', id: 'array-payload', payload: [] });
    expect((await c.waitFor((m) => m.id === 'array-payload')).payload).toMatchObject({ code: 'BAD_REQUEST' });
    c.send({ type: 'ping', id: 42 });
    expect(await c.waitFor((m) => m.id === 42)).toMatchObject({ type: 'pong', payload: {} });
  });
});
