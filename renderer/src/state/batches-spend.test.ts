// The page's batches and spend totals against a real WebSocket core (a scripted one): loaded after the
// first page, following `batchUpdated` pushes, and read again once after a burst of task changes.
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchView } from '@shared/contract/batch';
import { type FakeCore, fakeCoreClient, startFakeCore, waitFor, answerAnEmptyService } from '@shared/client/test-support/fake-core';
import { AppModel } from './app-model';
import { taskView } from './test-support/task-fixture';

let core: FakeCore;
let model: AppModel;
let spent = 0.4;

const batch = (over: Partial<BatchView>): BatchView => ({
  id: 'b1', name: 'shots', createdAt: '2026-12-02T10:00:00.000Z', state: 'running', total: 3,
  counts: { PENDING: 2, QUEUED: 1, PROCESSING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 0 }, held: 2, estimate: 1.2, currency: 'USD', unpriced: 0, retryable: 0, ...over,
});

async function start(): Promise<void> {
  core = await startFakeCore();
  answerAnEmptyService(core);
  core.handlers.set('listBatches', (_m, reply) => reply('batches', { batches: [batch({})] }));
  core.handlers.set('getSpend', (_m, reply) => reply('spend', { rows: [], total: { USD: spent }, reserved: {} }));
  const client = fakeCoreClient(core, { reconnect: false });
  model = new AppModel(client, 0);
  client.start();
}

afterEach(async () => {
  model?.client.stop();
  await core?.close();
});

describe('batches and spend in the page', () => {
  it('loads them after the first page, follows batchUpdated, and reads the totals again once after tasks end', async () => {
    await start();
    await waitFor(() => model.batches.list.length === 1 && model.spend.today !== null, 'batches and spend loaded');
    const types = core.received.map((m) => m.type);
    expect(types.indexOf('listBatches')).toBeGreaterThan(types.indexOf('listTasks'));
    expect(model.spend.today).toEqual({ USD: 0.4 });

    core.push('batchUpdated', { batch: batch({ state: 'paused', held: 1, counts: { PENDING: 1, QUEUED: 0, PROCESSING: 1, COMPLETED: 1, FAILED: 0, CANCELLED: 0 } }) });
    await waitFor(() => model.batches.list[0]?.state === 'paused', 'the pushed batch');

    const asked = core.received.filter((m) => m.type === 'getSpend').length;
    spent = 1.2;
    for (const id of ['a', 'b', 'c']) core.push('taskUpdated', taskView({ videoId: id, status: 'COMPLETED', progress: 100, cost: { estimate: 0.4, actual: 0.4, currency: 'USD' } }));
    await waitFor(() => model.spend.today?.USD === 1.2, 'the totals read again');
    // One burst, one read (today and this month).
    expect(core.received.filter((m) => m.type === 'getSpend').length - asked).toBe(2);
  });
});
