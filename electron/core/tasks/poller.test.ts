import { describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { pacedSpacingMs } from './provider-gate';
import { ManualClock, openHarness, RecordingConnection, until, type Harness } from './test-support/service-harness';
import { startTestUpstream, type TestUpstream } from './test-support/service-upstream';

// Closed after each test by the helpers that open them (test-cleanup.ts).
let h: Harness | undefined;
let up: TestUpstream | undefined;

const settle = () => new Promise((r) => setTimeout(r, 40));

/** Deterministic numbers in [0, 1) for the poller's jitter (mulberry32). */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function acceptedTasks(n: number, opts: { rateLimitPerMinute?: number; pollIntervalMs?: number; random?: () => number } = {}) {
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

  it('paces polls under the rate limit: never over R in any 60 s window, at least 0.9 R a minute, each task every N / R (within 10 %)', async () => {
    const R = 6;
    // Each task wants a look every minute (+-20 % jitter): twice what R allows.
    const tasks = await acceptedTasks(12, { rateLimitPerMinute: R, pollIntervalMs: 60_000, random: seededRandom(7) });
    const t0 = h!.clock.now();
    const before = up!.log.length;
    h!.poller.start();
    await h!.runClock(10 * 60_000);
    await settle();
    const times = up!.arrivals.slice(before);
    const ids = up!.log.slice(before).map((l) => l.split('/').pop()!);
    // Every task moves, and the upstream never sees more than R starts in a minute, nor two closer than the pace.
    expect(new Set(ids).size).toBe(tasks.length);
    for (const start of times) expect(times.filter((x) => x >= start && x < start + 60_000).length).toBeLessThanOrEqual(R);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(pacedSpacingMs(R) - 1);
    // Demand exceeds R: the pace still uses at least 0.9 R once going
    // (the first minute is taken by the creations the set-up sent).
    const steady = times.filter((t) => t >= t0 + 2 * 60_000).length / 8;
    expect(steady).toBeGreaterThanOrEqual(0.9 * R);
    // Round robin: no task waits much longer than its share, N / R.
    const evenSpread = (tasks.length / R) * 60_000;
    const gaps = tasks.map((t) => {
      const at = times.filter((_, i) => ids[i] === t.job.id && times[i] >= t0 + 2 * 60_000);
      return Math.max(...at.slice(1).map((x, i) => x - at[i]));
    });
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1.1 * evenSpread);
  });

  it('a watched task is polled before the round robin when the pace is the limit', async () => {
    const tasks = await acceptedTasks(6, { rateLimitPerMinute: 6, pollIntervalMs: 1_000 });
    h!.poller.start();
    await h!.runClock(3 * 60_000);
    const watcher = new RecordingConnection('watcher');
    watcher.userId = null;
    h!.hub.add(watcher);
    // The task looked at last: in the round robin its turn would come only after the other five.
    const watched = tasks.find((t) => up!.log.at(-1) === `GET /v1/videos/${t.job.id}`)!;
    h!.hub.joinTask(watcher, watched.videoId);
    const before = up!.log.length;
    await h!.runClock(3 * pacedSpacingMs(6));
    // It goes in the next slot the gate is free to give (the one after the call already waiting there).
    expect(up!.log.slice(before, before + 2)).toContain(`GET /v1/videos/${watched.job.id}`);
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
