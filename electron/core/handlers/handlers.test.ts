import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderView } from '@shared/contract/provider';
import type { TaskView } from '@shared/contract/task';
import { startSimulator, type Simulator } from '../providers/simulator/simulator';
import { createUpstreamMediaSource } from '../tasks/media';
import { openHarness, RecordingConnection, requestContext, TEST_KEY, until, type Harness } from '../tasks/test-support/service-harness';
import { fillableDisk, tasksOnDisk } from '../tasks/test-support/store-files';
import { ACTIVE_FILE } from '../tasks/store';
import { startTestUpstream, type TestUpstream } from '../tasks/test-support/service-upstream';
import { createServiceHandlers } from './service-handlers';

let h: Harness | undefined;
let up: TestUpstream | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  await h?.close();
  await up?.close();
  await sim?.close();
  h = up = sim = undefined;
});

async function setup(dialect: 'openai' | 'sora' = 'openai') {
  up = await startTestUpstream(dialect);
  h = await openHarness({ dialect, baseUrl: up.url });
  return { up, h, handlers: createServiceHandlers(h) };
}

async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('a full disk', () => {
  it('createTask answers why, creates nothing and sends nothing; the next create after space frees up works', async () => {
    let diskFull = false;
    up = await startTestUpstream('openai');
    h = await openHarness({
      dialect: 'openai', baseUrl: up.url,
      storeFileOps: {
        async writeFile(file, data) {
          if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          await writeFile(file, data);
        },
      },
    });
    const handlers = createServiceHandlers(h);
    diskFull = true;
    const refused = await Promise.resolve(handlers.createTask!({ prompt: 'no room', providerId: h.providerId }, requestContext(h.conn))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/not created and nothing was sent.*the disk is full/) });
    expect(h.service.listTasks({ limit: 100 }).total).toBe(0);

    diskFull = false;
    const ctx = requestContext(h.conn);
    await handlers.createTask!({ prompt: 'room again', providerId: h.providerId }, ctx);
    await h.service.idle();
    await h.store.flush();
    expect(h.service.listTasks({ limit: 100 }).tasks.map((t) => t.prompt)).toEqual(['room again']);
    expect([...up.jobs.values()].map((j) => j.prompt)).toEqual(['room again']);
  });
});

describe('a full disk and a cancel', () => {
  it('cancelTask answers why; the cancel is kept, written once space returns, and pushed then', async () => {
    const disk = fillableDisk();
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url, storeFileOps: disk.ops });
    const handlers = createServiceHandlers(h);
    const ctx = requestContext(h.conn);
    await handlers.createTask!({ prompt: 'cancel me on a full disk', providerId: h.providerId }, ctx);
    await h.service.idle();
    const { videoId } = h.service.listTasks({ limit: 1 }).tasks[0];
    expect(h.service.getTask(videoId).status).toBe('QUEUED');

    disk.full = true;
    const refused = await Promise.resolve(handlers.cancelTask!({ videoId }, requestContext(h.conn, 2))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/disk is full.*kept and will be saved, and shown, once it can be written/) });
    expect(h.conn.updates(videoId).map((t) => t.status)).not.toContain('CANCELLED');

    disk.full = false;
    await h.runClock(10_000); // the store's retry delay
    await until(() => h!.conn.updates(videoId).some((t) => t.status === 'CANCELLED'), 'the cancel pushed once written');
    expect(tasksOnDisk(path.join(h.dir, ACTIVE_FILE)).find((t) => t.videoId === videoId)).toBeUndefined();
  });
});

describe('the demo provider end to end', () => {
  it('creates, completes, streams a real MP4 with Range, and remixes', async () => {
    sim = await startSimulator({ jobDurationMs: 300, recordRequests: true });
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    h.registry.setDemoBaseUrl(sim.baseUrl);
    const handlers = createServiceHandlers(h);
    const media = createUpstreamMediaSource({ store: h.store, service: h.service });
    const ctx = requestContext(h.conn);
    await handlers.createTask!({ prompt: 'a lighthouse at dusk', providerId: 'demo', seconds: '4' }, ctx);
    const { task } = ctx.replies[0].payload as { task: TaskView };
    await expect(media.open(task.videoId, 'video', undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await h.service.idle();
    let view = h.service.getTask(task.videoId);
    for (let i = 0; i < 200 && view.status !== 'COMPLETED'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      view = await h.service.refreshTask(task.videoId);
    }
    expect(view).toMatchObject({ status: 'COMPLETED', progress: 100, seconds: '4' });

    const whole = await media.open(task.videoId, 'video', undefined);
    expect(whole.status).toBe(200);
    expect((await readAll(whole.body)).subarray(4, 8).toString()).toBe('ftyp');
    const part = await media.open(task.videoId, 'video', 'bytes=0-99');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toMatch(/^bytes 0-99\//);
    expect((await readAll(part.body)).length).toBe(100);
    const thumb = await media.open(task.videoId, 'thumbnail', undefined);
    expect(thumb.headers['content-type']).toContain('image/jpeg');
    await readAll(thumb.body);
    await expect(media.open('no-such-video', 'video', undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const rctx = requestContext(h.conn);
    await handlers.remixTask!({ videoId: task.videoId, prompt: 'the same lighthouse in fog' }, rctx);
    const remix = (rctx.replies[0].payload as { task: TaskView }).task;
    expect(remix.remixOf).toBe(task.videoId);
    await h.service.idle();
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/remix'))).toHaveLength(1);
    expect(h.store.get(remix.videoId)?.externalId).toBeTruthy();
  });
});

describe('task messages', () => {
  it('cancel stops tracking; a finished task cannot be cancelled', async () => {
    const { up, h, handlers } = await setup();
    const t = await h.service.createTask('local', { prompt: 'to cancel', providerId: h.providerId });
    await h.service.idle();
    const ctx = requestContext(h.conn);
    await handlers.cancelTask!({ videoId: t.videoId }, ctx);
    expect(ctx.replies[0].payload).toMatchObject({ status: 'CANCELLED' });
    up.jobs.get(h.store.get(t.videoId)!.externalId!)!.status = 'completed';
    const gets = up.count('GET', '/v1/videos/');
    expect((await h.service.refreshTask(t.videoId)).status).toBe('CANCELLED');
    expect(up.count('GET', '/v1/videos/')).toBe(gets);
    const done = await h.service.createTask('local', { prompt: 'finishes', providerId: h.providerId });
    await h.service.idle();
    up.jobs.get(h.store.get(done.videoId)!.externalId!)!.status = 'completed';
    await h.service.refreshTask(done.videoId);
    await expect(handlers.cancelTask!({ videoId: done.videoId }, requestContext(h.conn))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('retry makes a new task with the same parameters; delete tells every client', async () => {
    const { up, h, handlers } = await setup();
    up.failNext('POST', { kind: 'status', status: 400, body: { error: { message: 'try again differently' } } });
    const t = await h.service.createTask('local', { prompt: 'retry me', providerId: h.providerId, size: '1280x720', seconds: '8' });
    await h.service.idle();
    expect(h.service.getTask(t.videoId).status).toBe('FAILED');
    const ctx = requestContext(h.conn);
    await handlers.retryTask!({ videoId: t.videoId }, ctx);
    const again = (ctx.replies[0].payload as { task: TaskView }).task;
    expect(again).toMatchObject({ prompt: 'retry me', size: '1280x720', seconds: '8', providerId: h.providerId });
    expect(again.videoId).not.toBe(t.videoId);
    await h.service.idle();
    expect(h.service.getTask(again.videoId).status).toBe('QUEUED');

    const other = new RecordingConnection('other');
    h.hub.add(other);
    h.hub.joinUser(other, 'local');
    const dctx = requestContext(h.conn, 'd');
    await handlers.deleteTask!({ videoId: t.videoId }, dctx);
    expect(dctx.replies[0]).toMatchObject({ type: 'taskDeleted', id: 'd', payload: { videoId: t.videoId } });
    expect(other.sent.some((m) => m.type === 'taskDeleted')).toBe(true);
    expect(() => handlers.getTask!({ videoId: t.videoId }, requestContext(h.conn))).toThrow(/No task with videoId/);
  });

  it('listTasks is newest first with a total; stats count by status; trackTask follows a foreign job', async () => {
    const { up, h, handlers } = await setup();
    const foreign = up.addJob({ prompt: 'made elsewhere', status: 'in_progress', progress: 20 });
    const tctx = requestContext(h.conn);
    await handlers.trackTask!({ providerId: h.providerId, externalId: foreign.id }, tctx);
    const tracked = (tctx.replies[0].payload as { task: TaskView }).task;
    expect(tracked).toMatchObject({ status: 'QUEUED', externalId: foreign.id });
    await h.service.idle();
    expect(h.service.getTask(tracked.videoId)).toMatchObject({ status: 'PROCESSING', progress: 20 });
    h.clock.advance(1_000);
    await h.service.createTask('local', { prompt: 'second', providerId: h.providerId });
    await h.service.idle();
    const lctx = requestContext(h.conn);
    await handlers.listTasks!({ limit: 1 }, lctx);
    const page = lctx.replies[0].payload as { tasks: TaskView[]; total: number; nextCursor: string | null };
    expect(page.total).toBe(2);
    expect(page.tasks.map((t) => t.prompt)).toEqual(['second']);
    expect(page.nextCursor).not.toBeNull();
    const sctx = requestContext(h.conn);
    await handlers.getStats!({}, sctx);
    expect(sctx.replies[0].payload).toMatchObject({ total: 2, byStatus: { PROCESSING: 1, QUEUED: 1 } });
  });

  it('remix: sora says BAD_REQUEST, an unfinished source is a CONFLICT', async () => {
    const { h, handlers } = await setup('sora');
    const t = await h.service.createTask('local', { prompt: 'x', providerId: h.providerId });
    await h.service.idle();
    await expect(handlers.remixTask!({ videoId: t.videoId, prompt: 'y' }, requestContext(h.conn))).rejects.toMatchObject({
      code: 'BAD_REQUEST', message: 'remix is not supported by the sora dialect',
    });
    await h.close();
    await up!.close();
    const o = await setup('openai');
    const u = await o.h.service.createTask('local', { prompt: 'x', providerId: o.h.providerId });
    await expect(o.handlers.remixTask!({ videoId: u.videoId, prompt: 'y' }, requestContext(o.h.conn))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('provider and settings messages', () => {
  it('updateSettings replies and tells every client; a bad patch changes nothing', async () => {
    const { h, handlers } = await setup();
    const other = new RecordingConnection('other');
    h.hub.add(other);
    h.hub.joinUser(other, 'local');
    const ctx = requestContext(h.conn);
    await handlers.updateSettings!({ pollIntervalMs: 5_000, language: 'zh-CN' }, ctx);
    expect(ctx.replies[0].payload).toMatchObject({ settings: { pollIntervalMs: 5_000, language: 'zh-CN' } });
    expect(other.sent.find((m) => m.type === 'settings')?.payload).toMatchObject({ settings: { language: 'zh-CN' } });
    expect(() => handlers.updateSettings!({ pollIntervalMs: 5 } as never, requestContext(h.conn))).toThrow(/pollIntervalMs/);
    const g = requestContext(h.conn);
    await handlers.getSettings!({}, g);
    expect(g.replies[0].payload).toMatchObject({ settings: { pollIntervalMs: 5_000 } });
  });

  it('providers never show the key; testProvider reports reachable, refused and sora 404-as-ok', async () => {
    const { up, h, handlers } = await setup();
    const ctx = requestContext(h.conn);
    await handlers.listProviders!({}, ctx);
    const list = (ctx.replies[0].payload as { providers: ProviderView[] }).providers;
    expect(list.find((p) => p.id === h.providerId)).toMatchObject({ hasApiKey: true, apiKeyHint: TEST_KEY.slice(-4) });
    expect(JSON.stringify(list)).not.toContain(TEST_KEY);
    const ok = requestContext(h.conn);
    await handlers.testProvider!({ id: h.providerId }, ok);
    expect(ok.replies[0].payload).toMatchObject({ id: h.providerId, ok: true, code: null });
    expect(up.log.at(-1)).toBe('GET /v1/videos');
    up.failNext('GET', { kind: 'status', status: 401, body: { error: { message: 'bad key' } } });
    const denied = requestContext(h.conn);
    await handlers.testProvider!({ id: h.providerId }, denied);
    expect(denied.replies[0].payload).toMatchObject({ ok: false, code: 'UPSTREAM_UNAUTHORIZED' });
    expect(JSON.stringify(denied.replies)).not.toContain(TEST_KEY);

    const soraUp = await startTestUpstream('sora');
    try {
      const sctx = requestContext(h.conn);
      await handlers.saveProvider!({ name: 'Sora relay', dialect: 'sora', baseUrl: soraUp.url, apiKey: TEST_KEY }, sctx);
      const saved = (sctx.replies[0].payload as { provider: ProviderView }).provider;
      const tctx = requestContext(h.conn);
      await handlers.testProvider!({ id: saved.id }, tctx);
      expect(tctx.replies[0].payload).toMatchObject({ ok: true });
      expect(soraUp.log.at(-1)).toMatch(/^GET \/sora\/v1\/videos\/soradesk-connection-test-/);
      await handlers.deleteProvider!({ id: saved.id }, requestContext(h.conn));
      await expect(handlers.testProvider!({ id: saved.id }, requestContext(h.conn))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await soraUp.close();
    }
  });
});
