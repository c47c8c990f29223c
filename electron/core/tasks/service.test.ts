import { describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServiceHandlers } from '../handlers/service-handlers';
import { ACTIVE_FILE } from './store';
import { openHarness, RecordingConnection, requestContext, type Harness } from './test-support/service-harness';
import { startTestUpstream, type TestUpstream } from './test-support/service-upstream';

// Closed after each test by the helpers that open them (test-cleanup.ts).
let h: Harness | undefined;
let up: TestUpstream | undefined;

async function setup(dialect: 'openai' | 'sora' = 'openai') {
  up = await startTestUpstream(dialect);
  h = await openHarness({ dialect, baseUrl: up.url });
  const handlers = createServiceHandlers(h);
  return { up, h, handlers };
}

/** Creates a task and waits until the upstream accepted it. */
async function accepted(h: Harness, prompt = 'a red fox in snow'): Promise<TaskView> {
  const view = await h.service.createTask('local', { prompt, providerId: h.providerId });
  await h.service.idle();
  const rec = h.store.get(view.videoId);
  expect(rec?.submitState).toBe('accepted');
  return h.service.getTask(view.videoId);
}

describe('the seed flow, without its bugs', () => {
  it('create -> processing -> completed: requestTaskStatus replies with the fresh state', async () => {
    const { up, h, handlers } = await setup('sora');
    const ctx = requestContext(h.conn, 'c1');
    await handlers.createTask!({ prompt: 'a red fox in snow', providerId: h.providerId }, ctx);
    expect(ctx.replies[0].type).toBe('taskCreated');
    const created = (ctx.replies[0].payload as { task: TaskView }).task;
    expect(created.status).toBe('PENDING');
    // What the client was told is already on disk.
    expect(readFileSync(join(h.dir, ACTIVE_FILE), 'utf8')).toContain(created.videoId);
    await h.service.idle();
    expect(up.count('POST', '/sora/v1/videos')).toBe(1);
    const job = [...up.jobs.values()][0];
    expect(h.service.getTask(created.videoId)).toMatchObject({ externalId: job.id, status: 'PROCESSING' });

    job.status = 'processing';
    job.progress = '40%';
    const r1 = requestContext(h.conn, 2);
    await handlers.requestTaskStatus!({ videoId: created.videoId }, r1);
    expect(r1.replies[0].payload).toMatchObject({ status: 'PROCESSING', progress: 40 });

    job.status = 'completed';
    job.progress = 100;
    job.video_url = 'http://127.0.0.1:9/sora/videos/x.mp4';
    const r2 = requestContext(h.conn, 3);
    await handlers.requestTaskStatus!({ videoId: created.videoId }, r2);
    expect(r2.replies).toHaveLength(1);
    expect(r2.replies[0]).toMatchObject({ type: 'taskUpdated', id: 3 });
    expect(r2.replies[0].payload).toMatchObject({ status: 'COMPLETED', progress: 100, videoUrl: job.video_url });
    expect((r2.replies[0].payload as TaskView).completedAt).not.toBeNull();
    // The push for the change reached the user's room too, and the change is stored.
    expect(h.conn.updates(created.videoId).at(-1)?.status).toBe('COMPLETED');
    expect(h.store.get(created.videoId)?.status).toBe('COMPLETED');
    // A terminal task is answered from the store: no more upstream calls.
    const gets = up.count('GET', '/sora/v1/videos/');
    await handlers.requestTaskStatus!({ videoId: created.videoId }, requestContext(h.conn, 4));
    expect(up.count('GET', '/sora/v1/videos/')).toBe(gets);
  });

  it('20 connections x 10 tasks asking at once cost exactly 10 upstream GETs', async () => {
    const { up, h, handlers } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await accepted(h, `prompt ${i}`)).videoId);
    for (const j of up.jobs.values()) j.status = 'in_progress';
    const before = up.count('GET', '/v1/videos/');
    const conns = Array.from({ length: 20 }, (_, i) => new RecordingConnection(`c${i + 1}`));
    const ctxs = conns.map((c) => requestContext(c));
    await Promise.all(conns.flatMap((_, ci) => ids.map((videoId) => handlers.requestTaskStatus!({ videoId }, ctxs[ci]))));
    expect(up.count('GET', '/v1/videos/') - before).toBe(10);
    for (const ctx of ctxs) {
      expect(ctx.replies).toHaveLength(10);
      expect(ctx.replies.every((r) => r.type === 'taskUpdated' && (r.payload as TaskView).status === 'PROCESSING')).toBe(true);
    }
  });

  it('a missing task is NOT_FOUND with its videoId; an unknown provider is refused before anything is stored', async () => {
    const { h, handlers } = await setup();
    await expect(h.service.createTask('local', { prompt: 'x', providerId: 'no-such-provider' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(h.service.getStats().total).toBe(0);
    await expect(handlers.requestTaskStatus!({ videoId: 'nope' }, requestContext(h.conn))).rejects.toMatchObject({ code: 'NOT_FOUND', videoId: 'nope' });
  });

  it('a batch answers per id, errors carry the videoId, then taskStatusBatchDone lists the failures', async () => {
    const { h, handlers } = await setup();
    const a = await accepted(h);
    const ctx = requestContext(h.conn, 'batch');
    await handlers.requestMultipleTaskStatus!({ videoIds: [a.videoId, 'missing-1'] }, ctx);
    const err = ctx.replies.find((r) => r.type === 'error');
    expect(err?.payload).toMatchObject({ code: 'NOT_FOUND', videoId: 'missing-1' });
    expect(ctx.replies.some((r) => r.type === 'taskUpdated' && (r.payload as TaskView).videoId === a.videoId)).toBe(true);
    expect(ctx.replies.at(-1)).toMatchObject({ type: 'taskStatusBatchDone', id: 'batch', payload: { videoIds: [a.videoId, 'missing-1'], failed: ['missing-1'] } });
  });
});

describe('applying upstream answers', () => {
  it('status synonyms end to end: "succeeded" completes, "RUNNING" processes', async () => {
    const { up, h } = await setup();
    const t = await accepted(h);
    const job = up.jobs.get(t.externalId!)!;
    job.status = 'RUNNING';
    expect((await h.service.refreshTask(t.videoId)).status).toBe('PROCESSING');
    job.status = 'Succeeded';
    const done = await h.service.refreshTask(t.videoId);
    expect(done).toMatchObject({ status: 'COMPLETED', progress: 100 });
    expect(done.videoUrl).toBe(`${up.url}/v1/videos/${job.id}/content`);
  });

  it('terminal states are sticky and progress never goes down', async () => {
    const { up, h } = await setup();
    const t = await accepted(h);
    const job = up.jobs.get(t.externalId!)!;
    job.status = 'in_progress';
    job.progress = 50;
    expect((await h.service.refreshTask(t.videoId)).progress).toBe(50);
    job.progress = 30;
    expect((await h.service.refreshTask(t.videoId)).progress).toBe(50);
    job.status = 'failed';
    job.error = { code: 'moderation_blocked', message: 'blocked by moderation' };
    expect(await h.service.refreshTask(t.videoId)).toMatchObject({ status: 'FAILED', error: 'blocked by moderation', errorCode: 'moderation_blocked' });
    job.status = 'completed';
    expect((await h.service.refreshTask(t.videoId)).status).toBe('FAILED');
  });

  it('an unknown status leaves the task as it is, and a no-op poll pushes nothing', async () => {
    const { up, h } = await setup();
    const t = await accepted(h);
    // The word is unknown, so nothing it says (its progress included) can be trusted yet.
    Object.assign(up.jobs.get(t.externalId!)!, { status: 'starting', progress: 40 });
    const pushes = h.conn.updates(t.videoId).length;
    const after = await h.service.refreshTask(t.videoId);
    expect(after.status).toBe('QUEUED');
    expect(after.progress).toBe(t.progress);
    expect(after.updatedAt).toBe(t.updatedAt);
    expect(h.conn.updates(t.videoId)).toHaveLength(pushes);
  });

  it('500, a hang and a garbage body are reported to the asker but never fail the task', async () => {
    const { up, h } = await setup();
    const t = await accepted(h);
    up.failNext('GET', { kind: 'status', status: 500 });
    await expect(h.service.refreshTask(t.videoId)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', videoId: t.videoId });
    up.failNext('GET', { kind: 'hang' });
    await expect(h.service.refreshTask(t.videoId)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    up.failNext('GET', { kind: 'garbage' });
    await expect(h.service.refreshTask(t.videoId)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    up.failNext('GET', { kind: 'status', status: 429, headers: { 'retry-after': '3' } });
    await expect(h.service.refreshTask(t.videoId)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(h.service.getTask(t.videoId).status).toBe('QUEUED');
    up.jobs.get(t.externalId!)!.status = 'completed';
    expect((await h.service.refreshTask(t.videoId)).status).toBe('COMPLETED');
  });

  it('three 404s in a row fail the task UPSTREAM_NOT_FOUND; one 404 does not', async () => {
    const { up, h } = await setup();
    const t = await accepted(h);
    up.failNext('GET', { kind: 'status', status: 404 });
    await expect(h.service.refreshTask(t.videoId)).rejects.toBeDefined();
    await h.service.refreshTask(t.videoId); // an answer resets the count
    up.jobs.delete(t.externalId!);
    await expect(h.service.refreshTask(t.videoId)).rejects.toBeDefined();
    await expect(h.service.refreshTask(t.videoId)).rejects.toBeDefined();
    expect(h.service.getTask(t.videoId).status).toBe('QUEUED');
    // The 404 that settles it answers with the FAILED task, not an error.
    expect(await h.service.refreshTask(t.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'UPSTREAM_NOT_FOUND' });
    expect(h.service.getTask(t.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'UPSTREAM_NOT_FOUND' });
  });

  it('a task active past trackingTimeoutMs fails TRACKING_TIMEOUT', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url, trackingTimeoutMs: 60_000 });
    const t = await accepted(h);
    h.clock.advance(59_000);
    expect((await h.service.refreshTask(t.videoId)).status).toBe('QUEUED');
    h.clock.advance(2_000);
    expect(await h.service.refreshTask(t.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'TRACKING_TIMEOUT' });
  });
});
