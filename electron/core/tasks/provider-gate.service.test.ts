// The provider gate end to end: the real service, store and poller against a real 127.0.0.1 upstream,
// counting what the upstream sees. Every upstream call goes through the gate, not only the poller's.
import { describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { createServiceHandlers } from '../handlers/service-handlers';
import { pacedSpacingMs } from './provider-gate';
import type { TaskRecord } from './record';
import { ManualClock, openHarness, RecordingConnection, requestContext, until, type Harness } from './test-support/service-harness';
import { startTestUpstream, type TestUpstream } from './test-support/service-upstream';

// Closed after each test by the helpers that open them (test-cleanup.ts).
let h: Harness | undefined;
let up: TestUpstream | undefined;

async function setup(o: { rateLimitPerMinute?: number; concurrency?: number; pollIntervalMs?: number; clientTimeoutMs?: number } = {}) {
  const clock = new ManualClock();
  up = await startTestUpstream('openai', 0, clock.now);
  h = await openHarness({ dialect: 'openai', baseUrl: up.url, clock, ...o });
  return { up, h, clock, handlers: createServiceHandlers(h) };
}

/** Tasks the upstream has already accepted, stored as such (no creation spends the cap). */
async function acceptedTasks(n: number): Promise<Array<{ videoId: string; externalId: string }>> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const job = up!.addJob({ prompt: `task ${i}`, status: 'in_progress', progress: 10 });
    const at = new Date(h!.clock.now()).toISOString();
    const rec: TaskRecord = {
      videoId: `vid_${i}`, externalId: job.id, providerId: h!.providerId, status: 'PROCESSING', progress: 10, prompt: job.prompt,
      model: null, seconds: null, size: null, videoUrl: null, localPath: null, thumbnailUrl: null, error: null, errorCode: null,
      createdAt: at, updatedAt: at, completedAt: null, expiresAt: null, remixOf: null, submitState: 'accepted', submitStartedAt: null,
      inputReference: null, notFoundCount: 0, faultCount: 0, userId: 'local',
    };
    await h!.store.put(rec);
    out.push({ videoId: rec.videoId, externalId: job.id });
  }
  return out;
}

/** The most requests the upstream saw start in any 60 s window. */
function busiestMinute(arrivals: number[]): number {
  return Math.max(0, ...arrivals.map((t) => arrivals.filter((x) => x >= t && x < t + 60_000).length));
}

const errorsOf = (replies: ServerEnvelope[]) => replies.filter((r) => r.type === 'error').map((r) => r.payload as { code: string; message: string; videoId?: string });

describe('every upstream call passes the provider gate', () => {
  it('10 creations at 5/min: taskCreated at once, the POSTs paced (one per 12.6 s, at most 5 a minute), each job sent exactly once', async () => {
    const { up, h, handlers } = await setup({ rateLimitPerMinute: 5 });
    h.poller.start();
    const created: TaskView[] = [];
    for (let i = 0; i < 10; i++) {
      const ctx = requestContext(h.conn, i);
      await handlers.createTask!({ prompt: `scene ${i}`, providerId: h.providerId }, ctx);
      expect(ctx.replies[0].type).toBe('taskCreated');
      created.push((ctx.replies[0].payload as { task: TaskView }).task);
    }
    expect(created.every((t) => t.status === 'PENDING')).toBe(true);
    await h.runClock(0);
    await until(() => up.count('POST', '/v1/videos') === 1, 'the first creation');
    await h.runClock(30_000);
    // Sent at 0, 12.6 and 25.3 s: paced, not five at once.
    expect(up.count('POST', '/v1/videos')).toBe(3);
    // The others wait in the gate, still 'unsent': a crash now would not leave them in doubt.
    expect(created.filter((t) => h.store.get(t.videoId)?.submitState === 'unsent')).toHaveLength(7);
    await h.runClock(240_000);
    expect(up.count('POST', '/v1/videos')).toBe(10);
    expect(busiestMinute(up.arrivals)).toBeLessThanOrEqual(5);
    const posts = up.arrivals.filter((_, i) => up.log[i].startsWith('POST'));
    for (let i = 1; i < posts.length; i++) expect(posts[i] - posts[i - 1]).toBeGreaterThanOrEqual(pacedSpacingMs(5) - 1);
    const externalIds = created.map((t) => h.store.get(t.videoId)?.externalId);
    expect(externalIds.every((id) => id != null)).toBe(true);
    expect(new Set(externalIds).size).toBe(10);
    expect(up.jobs.size).toBe(10);
  });

  it('closing the service lets creations waiting for a token go unsent and stay PENDING for the next start', async () => {
    const { up, h } = await setup({ rateLimitPerMinute: 1 });
    const views = [];
    for (let i = 0; i < 3; i++) views.push(await h.service.createTask('local', { prompt: `later ${i}`, providerId: h.providerId }));
    await until(() => up.count('POST', '/v1/videos') === 1 && h.gate.queuedCalls() === 2, 'one sent, two waiting');
    h.service.close();
    await h.service.idle();
    const left = views.map((v) => h.store.get(v.videoId)!).filter((r) => r.submitState !== 'accepted');
    expect(left).toHaveLength(2);
    for (const r of left) expect(r).toMatchObject({ status: 'PENDING', submitState: 'unsent', faultCount: 0 });
    expect(up.count('POST', '/v1/videos')).toBe(1);
  });

  it('interactive refreshes of 8 tasks at 3/min: one now, one at its paced slot, the rest RATE_LIMITED with the wait; no task failed', async () => {
    const { up, h, handlers } = await setup({ rateLimitPerMinute: 3 });
    const spacing = pacedSpacingMs(3);
    const tasks = await acceptedTasks(8);
    const ctxs = tasks.map((_, i) => requestContext(new RecordingConnection(`c${i}`), i));
    // As the doors do: a thrown AppError becomes an `error` reply.
    const ask = (videoId: string, ctx: (typeof ctxs)[number]) =>
      Promise.resolve(handlers.requestTaskStatus!({ videoId }, ctx)).catch((err: Error & { code: 'RATE_LIMITED' }) => ctx.error(err.code, err.message, videoId));
    const asked = Promise.all(tasks.map((t, i) => ask(t.videoId, ctxs[i])));
    // The first goes now; the second's slot is 21 s away, within a person's patience (30 s), so it waits;
    // the third's is 42 s away: refused at once, as are the rest, each told how long to wait.
    await until(() => ctxs.filter((c) => c.replies.length > 0).length === 7, 'seven answered at once');
    const refused = ctxs.flatMap((c) => errorsOf(c.replies));
    expect(refused).toHaveLength(6);
    for (const e of refused) {
      expect(e).toMatchObject({ code: 'RATE_LIMITED' });
      expect(e.message).toMatch(new RegExp(`rate limit of 3/min for provider "${h.providerId}"; try again in ${Math.ceil((2 * spacing) / 1000)} s`));
    }
    expect(up.count('GET', '/v1/videos/')).toBe(1);
    await h.runClock(spacing);
    await asked;
    expect(ctxs.filter((c) => c.replies[0].type === 'taskUpdated')).toHaveLength(2);
    expect(up.count('GET', '/v1/videos/')).toBe(2);

    // A batch asking about all 8 now: the next slot is one spacing away, so one is asked; the rest are refused per id.
    const batch = requestContext(h.conn, 'batch');
    const batchDone = handlers.requestMultipleTaskStatus!({ videoIds: tasks.map((t) => t.videoId) }, batch);
    await until(() => errorsOf(batch.replies).length === 7, 'seven refused at once');
    expect(errorsOf(batch.replies).every((e) => e.code === 'RATE_LIMITED')).toBe(true);
    await h.runClock(spacing);
    await batchDone;
    expect(batch.replies.at(-1)?.payload).toMatchObject({ failed: expect.arrayContaining(tasks.slice(1).map((t) => t.videoId)) });
    expect(up.count('GET', '/v1/videos/')).toBe(3);

    // The poller catches up within the cap, and the refused tasks are no worse for it.
    for (const j of up.jobs.values()) j.status = 'completed';
    h.poller.start();
    await h.runClock(5 * 60_000);
    expect(busiestMinute(up.arrivals)).toBeLessThanOrEqual(3);
    for (const t of tasks) expect(h.store.get(t.videoId)).toMatchObject({ status: 'COMPLETED', error: null });
  });

  it('never more than `concurrency` requests open at once at a slow upstream, and every asker is answered', async () => {
    const { up, h, handlers } = await setup({ concurrency: 2, clientTimeoutMs: 10_000 });
    const tasks = await acceptedTasks(6);
    up.holdAnswers = true;
    const ctx = requestContext(h.conn, 'batch');
    const batch = handlers.requestMultipleTaskStatus!({ videoIds: tasks.map((t) => t.videoId) }, ctx);
    const probe = requestContext(h.conn, 'probe');
    const tested = handlers.testProvider!({ id: h.providerId }, probe);
    for (let released = 0; released < 7; released++) {
      await until(() => up.held > 0, 'a request held at the upstream');
      await new Promise((r) => setTimeout(r, 20)); // room for a third to arrive, were the gate to let it
      expect(up.open).toBeLessThanOrEqual(2);
      up.releaseOne();
    }
    await Promise.all([batch, tested]);
    expect(up.maxOpen).toBe(2);
    expect(up.log).toHaveLength(7);
    expect(ctx.replies.filter((r) => r.type === 'taskUpdated')).toHaveLength(6);
    expect(probe.replies[0].payload).toMatchObject({ ok: true });
  });

  it('an interactive refresh queued behind background polls goes first; one joining a queued poll raises it', async () => {
    const { up, h, handlers } = await setup({ concurrency: 1, clientTimeoutMs: 10_000 });
    const [a, b, c, d, e] = await acceptedTasks(5);
    up.holdAnswers = true;
    // What the poller does for tasks nobody watches: a is at the upstream, b, c, d wait in the gate in that order.
    const polls = [a, b, c, d].map((t) => h.service.pollTask(t.videoId, 'background'));
    await until(() => up.held === 1 && h.gate.queuedCalls() === 3, 'polls waiting in the gate');
    const askD = requestContext(h.conn, 'd');
    const askE = requestContext(h.conn, 'e');
    const asked = [handlers.requestTaskStatus!({ videoId: d.videoId }, askD), handlers.requestTaskStatus!({ videoId: e.videoId }, askE)];
    await until(() => h.gate.queuedCalls() === 4, 'the fresh interactive call queued');
    up.holdAnswers = false;
    up.releaseOne();
    await Promise.all([...polls, ...asked]);
    // d's shared poll was raised (and is older than e's), then e; the background polls after them.
    expect(up.log).toEqual([a, d, e, b, c].map((t) => `GET /v1/videos/${t.externalId}`));
    expect(askD.replies[0]).toMatchObject({ type: 'taskUpdated', payload: { videoId: d.videoId, status: 'PROCESSING' } });
    expect(askE.replies[0]).toMatchObject({ type: 'taskUpdated', payload: { videoId: e.videoId } });
  });
});
