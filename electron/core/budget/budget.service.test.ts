// Budgets, slots and batches end to end: the real service, store, poller and dispatcher against a real
// 127.0.0.1 upstream, counting what reaches it. Time is the test's (ManualClock), the day boundary too.
import { describe, expect, it } from 'vitest';
import type { BatchView } from '@shared/contract/batch';
import { startOfNextLocalDay, localDay } from '@shared/contract/cost-rules';
import type { Spend } from '@shared/contract/cost';
import { RequestSchemas, type RequestInput, type RequestType } from '@shared/contract/messages';
import type { ModelEntry } from '@shared/contract/model';
import type { TaskView } from '@shared/contract/task';
import { createServiceHandlers } from '../handlers/service-handlers';
import { ManualClock, openHarness, requestContext, until, type Harness } from '../tasks/test-support/service-harness';
import { startTestUpstream, type TestUpstream } from '../tasks/test-support/service-upstream';

/** 0.10 USD a second: a 4 s job is estimated at 0.40. */
const PRICED: ModelEntry = {
  id: 'priced-video', label: 'Priced video', kinds: ['text-to-video'], seconds: [4, 8], sizes: ['1280x720'],
  audio: false, pricePerSecond: 0.1, currency: 'USD', origin: 'user',
};

let seq = 0;

async function setup(o: { maxActiveJobs?: number | null; dir?: string; clock?: ManualClock; up?: TestUpstream } = {}) {
  const clock = o.clock ?? new ManualClock();
  const up = o.up ?? (await startTestUpstream('openai', 0, clock.now));
  const h = await openHarness({ dialect: 'openai', baseUrl: up.url, clock, maxActiveJobs: o.maxActiveJobs ?? null, dir: o.dir });
  if (!o.dir) await h.registry.save({ id: h.providerId, name: 'Test upstream', dialect: 'openai', baseUrl: up.url, models: [PRICED] });
  const handlers = createServiceHandlers(h) as unknown as Record<string, (p: unknown, ctx: unknown) => Promise<void> | void>;
  /** One request through its handler, as the router hands it over (payload parsed); resolves to the final reply's payload. */
  async function call<K extends RequestType>(type: K, payload: RequestInput<K>): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const ctx = requestContext(h.conn, ++seq);
    await handlers[type](RequestSchemas[type].parse(payload), ctx);
    return ctx.replies.at(-1)?.payload;
  }
  return { clock, up, h, call };
}

const posts = (up: TestUpstream) => up.count('POST', '/v1/videos');
const unfinished = (up: TestUpstream) => [...up.jobs.values()].filter((j) => j.status !== 'completed');

/** The upstream finishes `n` of its oldest unfinished jobs; the poller notices within one interval. */
async function finish(h: Harness, up: TestUpstream, n = Infinity): Promise<void> {
  for (const job of unfinished(up).slice(0, n)) Object.assign(job, { status: 'completed', progress: 100 });
  await h.runClock(10_000);
  await h.service.idle();
}

const tasksOf = (h: Harness) => h.store.list({ limit: 10_000 }).tasks;
const notices = (h: Harness, code: string) => h.conn.sent.filter((m) => m.type === 'notice' && (m.payload as { code: string }).code === code);

describe('maxActiveJobs: jobs in flight per provider', () => {
  it('a batch of 50 with maxActiveJobs 3: never more than 3 jobs at the upstream, all 50 sent in creation order and completed', async () => {
    const { h, up, call } = await setup({ maxActiveJobs: 3 });
    h.poller.start();
    const items = Array.from({ length: 50 }, (_, i) => ({ prompt: `shot ${String(i + 1).padStart(2, '0')}`, model: PRICED.id, seconds: 4 }));
    const { batch, tasks } = (await call('createBatch', { name: 'fifty', items })) as { batch: BatchView; tasks: TaskView[] };
    expect(tasks.map((t) => t.prompt)).toEqual(items.map((i) => i.prompt));
    expect(tasks.slice(0, 3).every((t) => t.holdReason === null)).toBe(true);
    expect(tasks.slice(3).every((t) => t.status === 'PENDING' && t.holdReason === 'slot' && t.batchId === batch.id)).toBe(true);
    expect(batch).toMatchObject({ total: 50, held: 47, estimate: 20, currency: 'USD', unpriced: 0, state: 'running' });
    await h.runClock(0);
    await h.service.idle();
    for (let round = 0; round < 120 && tasksOf(h).some((t) => t.status !== 'COMPLETED'); round++) {
      expect(up.activeJobs).toBeLessThanOrEqual(3);
      await finish(h, up, (round % 3) + 1);
    }
    expect(tasksOf(h).every((t) => t.status === 'COMPLETED')).toBe(true);
    // Asserted where it counts: the upstream itself never held more than 3 of our jobs at once.
    expect(up.maxActiveJobs).toBe(3);
    console.info(`[figure] 50-job batch, maxActiveJobs 3: the upstream's highest concurrent job count was ${up.maxActiveJobs}`);
    expect([...up.jobs.values()].map((j) => j.prompt)).toEqual(items.map((i) => i.prompt));
    expect(posts(up)).toBe(50);
    const listed = (await call('listBatches', {})) as { batches: BatchView[] };
    expect(listed.batches[0]).toMatchObject({ id: batch.id, state: 'done', held: 0, counts: { COMPLETED: 50 } });
    const pushed = () => h.conn.sent.filter((m) => m.type === 'batchUpdated').map((m) => (m.payload as { batch: BatchView }).batch);
    // Pushed once per batch per turn of the event loop, after the change.
    await until(() => pushed().at(-1)?.state === 'done', 'the batch pushed as done');
    expect(pushed().at(-1)).toMatchObject({ id: batch.id, state: 'done', counts: { COMPLETED: 50 } });
  });

  it('an interactive creation beyond the cap waits PENDING with "slot" and goes when a job ends', async () => {
    const { h, up, call } = await setup({ maxActiveJobs: 1 });
    h.poller.start();
    const a = (await call('createTask', { prompt: 'first', model: PRICED.id, seconds: 4 })).task as TaskView;
    const b = (await call('createTask', { prompt: 'second', model: PRICED.id, seconds: 4 })).task as TaskView;
    expect([a.holdReason, b.holdReason]).toEqual([null, 'slot']);
    await h.runClock(5_000);
    expect(posts(up)).toBe(1);
    await finish(h, up);
    await h.runClock(1_000);
    expect(posts(up)).toBe(2);
    expect(h.service.getTask(b.videoId)).toMatchObject({ holdReason: null, status: 'QUEUED' });
  });
});

describe('budgets', () => {
  it('a daily limit of 1.00 with jobs at 0.40: two go, an interactive third is refused, batch items are held, a higher limit releases them', async () => {
    const { h, up, call } = await setup();
    h.poller.start();
    await call('updateSettings', { budget: { dailyLimit: 1, monthlyLimit: null } });
    const first = (await call('createTask', { prompt: 'one', model: PRICED.id, seconds: 4 })).task as TaskView;
    expect(first.cost).toEqual({ estimate: 0.4, actual: null, currency: 'USD' });
    await call('createTask', { prompt: 'two', model: PRICED.id, seconds: 4 });
    await h.runClock(0);
    await h.service.idle();
    expect(posts(up)).toBe(2);
    // 0.80 of 1.00 is spent or reserved: the user is warned once.
    expect(notices(h, 'BUDGET_WARNING')).toHaveLength(1);
    expect((notices(h, 'BUDGET_WARNING')[0].payload as { message: string }).message).toContain('80 % of the daily limit of 1.00 USD');

    const refused = call('createTask', { prompt: 'three', model: PRICED.id, seconds: 4 });
    await expect(refused).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    await expect(refused).rejects.toThrow(/daily limit of 1\.00 USD \(all providers\): 0\.00 USD spent and 0\.80 USD reserved .*estimated at 0\.40 USD/);
    expect(tasksOf(h)).toHaveLength(2);

    await finish(h, up);
    expect(tasksOf(h).map((t) => t.cost)).toEqual([{ estimate: 0.4, actual: 0.4, currency: 'USD' }, { estimate: 0.4, actual: 0.4, currency: 'USD' }]);
    await expect(call('createTask', { prompt: 'three', model: PRICED.id, seconds: 4 })).rejects.toThrow(/0\.80 USD spent and 0\.00 USD reserved/);

    const { tasks } = (await call('createBatch', { items: [{ prompt: 'batch a', model: PRICED.id, seconds: 4 }, { prompt: 'batch b', model: PRICED.id, seconds: 4 }] })) as { tasks: TaskView[] };
    expect(tasks.map((t) => [t.status, t.holdReason])).toEqual([['PENDING', 'budget'], ['PENDING', 'budget']]);
    await h.runClock(30_000);
    expect(posts(up)).toBe(2);

    await call('updateSettings', { budget: { dailyLimit: 2, monthlyLimit: null } });
    await h.service.idle();
    await h.runClock(1_000);
    expect(posts(up)).toBe(4);
    expect(tasks.map((t) => h.service.getTask(t.videoId).holdReason)).toEqual([null, null]);

    // The spend by day is the sum of the tasks' costs (ended: actual; in flight: the estimate, reserved).
    const spend = (await call('getSpend', { groupBy: 'day' })) as Spend;
    const sum = tasksOf(h).reduce((s, t) => s + (t.cost?.actual ?? t.cost?.estimate ?? 0), 0);
    expect(spend.rows).toEqual([{ key: localDay(h.clock.now()), amount: 1.6, currency: 'USD', tasks: 4, byProvider: { [h.providerId]: 1.6 } }]);
    expect(spend.total.USD).toBeCloseTo(sum, 6);
    expect(spend.reserved).toEqual({ USD: 0.8 });
  });

  it('a provider\'s own limit holds its batch items; a new local day releases them', async () => {
    const { h, up, call, clock } = await setup();
    h.poller.start();
    await h.registry.save({ id: h.providerId, name: 'Test upstream', dialect: 'openai', baseUrl: up.url, budget: { dailyLimit: 1, monthlyLimit: null } });
    const items = ['a', 'b', 'c', 'd'].map((p) => ({ prompt: `day ${p}`, model: PRICED.id, seconds: 4 }));
    const { tasks } = (await call('createBatch', { items })) as { tasks: TaskView[] };
    expect(tasks.map((t) => t.holdReason)).toEqual([null, null, 'budget', 'budget']);
    await h.runClock(0);
    await finish(h, up);
    expect(posts(up)).toBe(2);
    expect(tasks.slice(2).map((t) => h.service.getTask(t.videoId).holdReason)).toEqual(['budget', 'budget']);
    const yesterday = localDay(clock.now());
    // Midnight, local time: yesterday's 0.80 no longer counts against the daily limit.
    await h.runClock(startOfNextLocalDay(clock.now()) - clock.now() + 1_000);
    await h.service.idle();
    await h.runClock(1_000);
    expect(posts(up)).toBe(4);
    const spend = (await call('getSpend', { groupBy: 'day' })) as Spend;
    expect(spend.rows.map((r) => [r.key, r.amount])).toEqual([[yesterday, 0.8], [localDay(clock.now()), 0.8]]);
  });

  it('a restart in the middle of a batch keeps its order, its held items and its reservations', async () => {
    const clock = new ManualClock();
    const first = await setup({ maxActiveJobs: 2, clock });
    const { up } = first;
    first.h.poller.start();
    await first.h.registry.save({ id: first.h.providerId, name: 'Test upstream', dialect: 'openai', baseUrl: up.url, budget: { dailyLimit: 2, monthlyLimit: null } });
    const items = [1, 2, 3, 4, 5, 6].map((i) => ({ prompt: `restart ${i}`, model: PRICED.id, seconds: 4 }));
    const { batch } = (await first.call('createBatch', { items })) as { batch: BatchView };
    const paused = (await first.call('createBatch', { name: 'later', items: [{ prompt: 'paused 1', model: PRICED.id, seconds: 4 }] })) as { batch: BatchView };
    await first.call('pauseBatch', { id: paused.batch.id });
    await first.h.runClock(0);
    await first.h.service.idle();
    expect(posts(up)).toBe(2);
    const dir = first.h.dir;
    await first.h.close({ keepDir: true });

    const { h, call } = await setup({ maxActiveJobs: 2, clock, up, dir });
    const holds = tasksOf(h).sort((a, b) => a.prompt.localeCompare(b.prompt)).map((t) => [t.prompt, t.holdReason ?? null]);
    expect(holds).toEqual([
      ['paused 1', 'paused'], ['restart 1', null], ['restart 2', null], ['restart 3', 'slot'], ['restart 4', 'slot'], ['restart 5', 'slot'], ['restart 6', 'slot'],
    ]);
    // The two jobs in flight still reserve their estimates.
    expect(((await call('getSpend', { groupBy: 'day' })) as Spend).reserved).toEqual({ USD: 0.8 });
    expect(((await call('listBatches', {})) as { batches: BatchView[] }).batches.map((b) => [b.id, b.state, b.held])).toEqual(
      expect.arrayContaining([[batch.id, 'running', 4], [paused.batch.id, 'paused', 1]]),
    );
    h.poller.start();
    for (let round = 0; round < 20 && unfinished(up).length + tasksOf(h).filter((t) => t.holdReason === 'slot').length > 0; round++) {
      expect(up.activeJobs).toBeLessThanOrEqual(2);
      await finish(h, up, 1);
    }
    // Six at 0.40 against a daily 2.00: the fifth and sixth wait for the budget, never sent.
    expect([...up.jobs.values()].map((j) => j.prompt)).toEqual(['restart 1', 'restart 2', 'restart 3', 'restart 4', 'restart 5']);
    expect(h.service.getTask(tasksOf(h).find((t) => t.prompt === 'restart 6')!.videoId).holdReason).toBe('budget');
    expect(h.service.getTask(tasksOf(h).find((t) => t.prompt === 'paused 1')!.videoId).holdReason).toBe('paused');
  });
});

describe('batches', () => {
  it('a batch with a bad item is refused whole, naming the item; nothing is stored or sent', async () => {
    const { h, up, call } = await setup();
    const attempt = call('createBatch', { items: [{ prompt: 'fine', model: PRICED.id, seconds: 4 }, { prompt: 'bad', model: PRICED.id, seconds: 5 }] });
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(attempt).rejects.toThrow(/^item 2: 5 s is not offered by Priced video/);
    expect(tasksOf(h)).toHaveLength(0);
    expect(((await call('listBatches', {})) as { batches: BatchView[] }).batches).toEqual([]);
    expect(posts(up)).toBe(0);
  });

  it('variants, pause, resume, cancel and retrying the failed, with what each cancelled task cost', async () => {
    const { h, up, call } = await setup({ maxActiveJobs: 1 });
    h.poller.start();
    const { batch, tasks } = (await call('createBatch', { items: [{ prompt: 'twice', model: PRICED.id, seconds: 8 }], variants: 3 })) as { batch: BatchView; tasks: TaskView[] };
    expect(tasks.map((t) => t.prompt)).toEqual(['twice', 'twice', 'twice']);
    expect(batch.estimate).toBeCloseTo(2.4, 6);
    await h.runClock(0);
    expect((await call('pauseBatch', { id: batch.id })).batch).toMatchObject({ state: 'paused', held: 2 });
    await finish(h, up);
    await h.runClock(10_000);
    expect(posts(up)).toBe(1);
    expect((await call('resumeBatch', { id: batch.id })).batch.state).toBe('running');
    await h.service.idle();
    await h.runClock(1_000);
    expect(posts(up)).toBe(2);
    // The second job fails upstream; the third is still held for the slot.
    Object.assign(unfinished(up)[0], { status: 'failed', error: { code: 'x', message: 'boom' } });
    await h.runClock(10_000);
    await h.service.idle();
    await h.runClock(1_000);
    expect(tasks.map((t) => h.service.getTask(t.videoId).status)).toEqual(['COMPLETED', 'FAILED', 'QUEUED']);
    expect(h.service.getTask(tasks[1].videoId).cost).toEqual({ estimate: 0.8, actual: 0, currency: 'USD' });
    const retried = (await call('retryBatch', { id: batch.id })).batch as BatchView;
    expect(retried).toMatchObject({ total: 4, held: 1, retryable: 0 });
    // The failed one is sent again once, not at every retry.
    expect(((await call('retryBatch', { id: batch.id })).batch as BatchView).total).toBe(4);
    const cancelled = (await call('cancelBatch', { id: batch.id })).batch as BatchView;
    expect(cancelled).toMatchObject({ state: 'cancelled', counts: { CANCELLED: 2 } });
    const costs = tasksOf(h).filter((t) => t.status === 'CANCELLED').map((t) => [t.upstreamCancel, t.cost?.actual]).sort();
    // openai cannot cancel: the job in flight runs on and is billed; the held retry never left: nothing.
    expect(costs).toEqual([['not-sent', 0], ['unsupported', 0.8]]);
  });
});
