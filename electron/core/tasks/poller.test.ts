import { describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { ManualClock, openHarness, RecordingConnection, until, type Harness } from './test-support/service-harness';
import { startTestUpstream, type TestUpstream } from './test-support/service-upstream';

// Closed after each test by the helpers that open them (test-cleanup.ts).
let h: Harness | undefined;
let up: TestUpstream | undefined;

const settle = () => new Promise((r) => setTimeout(r, 40));

async function acceptedTasks(n: number, opts: { rateLimitPerMinute?: number; pollIntervalMs?: number } = {}) {
  const clock = new ManualClock();
  up = await startTestUpstream('openai', 0, clock.now);
  const { rateLimitPerMinute, ...rest } = opts;
  h = await openHarness({ dialect: 'openai', baseUrl: up.url, clock, ...rest });
  const views: TaskView[] = [];
  for (let i = 0; i < n; i++) views.push(await h.service.createTask('local', { prompt: `task ${i}`, providerId: h.providerId }));
  await h.service.idle();
  for (const v of views) expect(h.store.get(v.videoId)?.submitState).toBe('accepted');
  // The cap comes after the set-up, so the creations above do not wait for it.
  if (rateLimitPerMinute) await h.registry.save({ id: h.providerId, name: 'Test upstream', dialect: 'openai', baseUrl: up.url, rateLimitPerMinute });
  return views.map((v) => ({ videoId: v.videoId, job: up!.jobs.get(h!.store.get(v.videoId)!.externalId!)! }));
}

describe('the poller', () => {
  it('pushes changes nobody asked for, and stops at a terminal state', async () => {
    const [t] = await acceptedTasks(1);
    const watcher = new RecordingConnection('watcher');
    watcher.userId = null;
    h!.hub.add(watcher);
    h!.hub.joinTask(watcher, t.videoId);
    h!.poller.start();
    t.job.status = 'in_progress';
    t.job.progress = 35;
    h!.clock.advance(1_000);
    await until(() => watcher.updates(t.videoId).some((v) => v.progress === 35), 'a progress push');
    t.job.status = 'completed';
    h!.clock.advance(12_000);
    await until(() => h!.conn.updates(t.videoId).some((v) => v.status === 'COMPLETED'), 'a completion push');
    expect(watcher.updates(t.videoId).at(-1)?.status).toBe('COMPLETED');
    const gets = up!.count('GET', '/v1/videos/');
    h!.clock.advance(120_000);
    await settle();
    expect(up!.count('GET', '/v1/videos/')).toBe(gets);
    expect(h!.poller.tracked).toBe(0);
  });

  it('a no-op poll pushes nothing', async () => {
    const [t] = await acceptedTasks(1);
    h!.poller.start();
    const pushes = h!.conn.updates(t.videoId).length;
    h!.clock.advance(1_000);
    await until(() => up!.count('GET', '/v1/videos/') === 1, 'one poll');
    await settle();
    expect(h!.conn.updates(t.videoId)).toHaveLength(pushes);
  });

  it('Retry-After in seconds delays the next poll', async () => {
    const [t] = await acceptedTasks(1);
    up!.failNext('GET', { kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    h!.poller.start();
    h!.clock.advance(1_000);
    await until(() => up!.count('GET', '/v1/videos/') === 1, 'the rate-limited poll');
    await settle();
    h!.clock.advance(25_000);
    await settle();
    expect(up!.count('GET', '/v1/videos/')).toBe(1);
    h!.clock.advance(6_000);
    await until(() => up!.count('GET', '/v1/videos/') === 2, 'the poll after Retry-After');
    expect(h!.store.get(t.videoId)?.status).toBe('QUEUED');
  });

  it('Retry-After as an HTTP date delays the next poll', async () => {
    await acceptedTasks(1);
    up!.failNext('GET', { kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 62_000).toUTCString() } });
    h!.poller.start();
    h!.clock.advance(1_000);
    await until(() => up!.count('GET', '/v1/videos/') === 1, 'the refused poll');
    await settle();
    h!.clock.advance(50_000);
    await settle();
    expect(up!.count('GET', '/v1/videos/')).toBe(1);
    h!.clock.advance(15_000);
    await until(() => up!.count('GET', '/v1/videos/') === 2, 'the poll after the date');
  });

  it('faults (500, hang, garbage) back off and never fail the task', async () => {
    const [t] = await acceptedTasks(1, { pollIntervalMs: 1_000 });
    up!.failNext('GET', { kind: 'status', status: 500 });
    up!.failNext('GET', { kind: 'hang' });
    up!.failNext('GET', { kind: 'garbage' });
    h!.poller.start();
    for (let i = 0; i < 40 && up!.count('GET', '/v1/videos/') < 4; i++) {
      h!.clock.advance(1_000);
      await settle();
    }
    await until(() => up!.count('GET', '/v1/videos/') >= 4, 'polls past the faults');
    expect(h!.store.get(t.videoId)?.status).toBe('QUEUED');
    t.job.status = 'completed';
    for (let i = 0; i < 40 && h!.store.get(t.videoId)?.status !== 'COMPLETED'; i++) {
      h!.clock.advance(1_000);
      await settle();
    }
    expect(h!.store.get(t.videoId)?.status).toBe('COMPLETED');
  });

  it('never exceeds the provider rate limit per minute (through the gate), yet keeps every task moving', async () => {
    const tasks = await acceptedTasks(8, { rateLimitPerMinute: 5, pollIntervalMs: 1_000 });
    const t0 = h!.clock.now();
    const before = up!.log.length;
    h!.poller.start();
    await h!.runClock(180_000);
    await settle();
    const times = up!.arrivals.slice(before);
    expect(times.length).toBeGreaterThanOrEqual(12);
    for (const start of times) {
      expect(times.filter((x) => x >= start && x < start + 60_000).length).toBeLessThanOrEqual(5);
    }
    expect(Math.max(...times) - t0).toBeGreaterThan(120_000);
    const polled = new Set(up!.log.slice(before).map((l) => l.split('/').pop()));
    expect(polled.size).toBe(tasks.length);
  });

  it('tasks left active resume when the service starts again', async () => {
    const [t] = await acceptedTasks(1);
    const dir = h!.dir;
    await h!.close({ keepDir: true });
    h = await openHarness({ dialect: 'openai', baseUrl: up!.url, dir });
    t.job.status = 'completed';
    h.poller.start();
    h.clock.advance(1_000);
    await until(() => h!.store.get(t.videoId)?.status === 'COMPLETED', 'the resumed task completed');
  });
});
