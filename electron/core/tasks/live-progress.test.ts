// Progress that feels live, in the service: the task view carries a short progress history and an
// ETA, and the poller looks at a watched task sooner as it nears its expected end.
import { describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { ManualClock, openHarness, RecordingConnection, until, type Harness } from './test-support/service-harness';
import { startTestUpstream, type TestUpstream } from './test-support/service-upstream';

// Closed after each test by the helpers that open them (test-cleanup.ts).
let h: Harness;
let up: TestUpstream;

const seconds = (iso: string | null, from: number) => (iso === null ? null : (Date.parse(iso) - from) / 1000);

async function start(pollIntervalMs = 10_000): Promise<void> {
  const clock = new ManualClock();
  up = await startTestUpstream('openai', 0, clock.now);
  h = await openHarness({ dialect: 'openai', baseUrl: up.url, clock, pollIntervalMs });
}

async function accepted(prompt: string) {
  const view = await h.service.createTask('local', { prompt, providerId: h.providerId });
  await h.service.idle();
  const rec = h.store.get(view.videoId)!;
  return { videoId: view.videoId, createdAt: Date.parse(rec.createdAt), job: up.jobs.get(rec.externalId!)! };
}

const lastView = (videoId: string): TaskView => h.conn.updates(videoId).at(-1)!;

describe('the progress history and ETA in the task view', () => {
  it('records what the upstream reported, estimates the end from its rate, and drops both once finished', async () => {
    await start();
    const t = await accepted('a lighthouse in a storm');
    const acceptedAt = h.clock.now();
    expect(lastView(t.videoId).progressHistory).toEqual([{ at: new Date(acceptedAt).toISOString(), progress: 0 }]);

    h.clock.advance(10_000);
    t.job.status = 'in_progress';
    t.job.progress = 40;
    await h.service.refreshTask(t.videoId);
    const moving = lastView(t.videoId);
    expect(moving.progressHistory.map((s) => s.progress)).toEqual([0, 40]);
    // 40 % in 10 s: the other 60 % in 15 s more.
    expect(moving.etaBasis).toBe('progress');
    expect(seconds(moving.etaAt, acceptedAt)).toBe(25);

    // A poll that changes nothing adds no sample and pushes nothing.
    const pushes = h.conn.updates(t.videoId).length;
    h.clock.advance(2_000);
    await h.service.refreshTask(t.videoId);
    expect(h.conn.updates(t.videoId)).toHaveLength(pushes);

    t.job.status = 'completed';
    t.job.progress = 100;
    await h.service.refreshTask(t.videoId);
    expect(lastView(t.videoId)).toMatchObject({ status: 'COMPLETED', progressHistory: [], etaAt: null, etaBasis: null, queuePosition: null });
  });

  it('where the upstream gives no progress, the ETA is the model\'s typical duration, learned from finished jobs', async () => {
    await start();
    const first = await accepted('the first job sets the pace');
    expect(lastView(first.videoId).etaBasis).toBeNull(); // nothing learned yet, no rate
    h.clock.advance(30_000);
    first.job.status = 'completed';
    await h.service.refreshTask(first.videoId);
    expect(lastView(first.videoId).status).toBe('COMPLETED');

    const second = await accepted('the second job says nothing of its progress');
    second.job.status = 'in_progress';
    second.job.progress = 'unknown';
    h.clock.advance(5_000);
    await h.service.refreshTask(second.videoId);
    const view = h.store.get(second.videoId)!;
    expect(view.status).toBe('PROCESSING');
    expect(view.etaBasis).toBe('typical');
    expect(seconds(view.etaAt ?? null, second.createdAt)).toBe(30);
  });
});

describe('the poller and a watched task', () => {
  it('looks at a watched task sooner as it nears its expected end; an unwatched twin keeps the interval', async () => {
    await start(10_000);
    const watched = await accepted('watched');
    const alone = await accepted('alone');
    const watcher = new RecordingConnection('watcher');
    h.hub.add(watcher);
    h.hub.joinTask(watcher, watched.videoId);
    const polls = (t: { job: { id: string } }) => up.log.filter((l) => l === `GET /v1/videos/${t.job.id}`).length;
    // Time moves only while no call is open, so each poll is scheduled from the time it answered.
    const step = (ms: number) => h.runClock(ms);

    h.poller.start();
    await step(1_000); // the first round at start
    await until(() => polls(watched) === 1 && polls(alone) === 1, 'the first round');
    for (const t of [watched, alone]) {
      t.job.status = 'in_progress';
      t.job.progress = 50;
    }
    await step(10_000); // the routine round: 50 % after ~11 s, so the end is ~11 s away
    await until(() => polls(watched) === 2 && polls(alone) === 2, 'the routine round');
    expect(h.store.get(watched.videoId)?.etaBasis).toBe('progress');

    // Half the time left: the watched task is asked again ~5.5 s later, its twin only after 10 s.
    await step(6_000);
    await until(() => polls(watched) === 3, 'the early look at the watched task');
    expect(polls(alone)).toBe(2);
    await step(4_500);
    await until(() => polls(alone) === 3, 'the routine round for the twin');
    // Closing in on the expected end (~21 s): half of what is left each time, at most once a second
    // (15.75, 18.4, 19.7 and 20.7 s): four looks in the 10 s its twin waited.
    expect(polls(watched)).toBe(6);
  });
});
