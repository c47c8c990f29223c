// The demo simulator's openai dialect: a relay's /v1/videos serving other models than Sora.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderClient } from '../create-provider-client';
import type { ProviderClient, UpstreamError } from '../provider-client';
import { bytes } from '../test-support/dialect-test-support';
import { manualClock, type ManualClock } from './test-support/manual-clock';
import { defaultSampleDir } from './sim-media';
import { startSimulator, type Simulator } from './simulator';

const KEY = 'test-key-0123456789abcdef';
const DURATION = 1000;
let sim: Simulator;
let clock: ManualClock;
let client: ProviderClient;
beforeEach(async () => {
  clock = manualClock();
  sim = await startSimulator({ jobDurationMs: DURATION, clock, recordRequests: true });
  client = createProviderClient({ dialect: 'openai', baseUrl: sim.baseUrl, apiKey: KEY });
});
afterEach(async () => { await sim.close(); });


describe('demo simulator, openai dialect', () => {
  it('takes a job from queued through rising progress to completed', async () => {
    const created = await client.create({ prompt: 'a red fox', model: 'demo-video', seconds: '8', size: '1280x720' });
    expect(created).toMatchObject({ status: 'QUEUED', progress: 0, seconds: '8', size: '1280x720', model: 'demo-video' });
    expect(created.pollAfterMs).toBeGreaterThan(0);
    const seen: number[] = [];
    for (let step = 0; step < 9; step++) {
      clock.advance(DURATION / 10);
      const job = await client.retrieve(created.externalId);
      expect(job.status).toBe('PROCESSING');
      seen.push(job.progress ?? -1);
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen.at(-1)).toBeLessThan(100);
    clock.advance(DURATION / 10);
    const done = await client.retrieve(created.externalId);
    expect(done).toMatchObject({ status: 'COMPLETED', progress: 100 });
    expect(done.completedAt).toBe(Math.floor((clock.now()) / 1000) * 1000);
    expect(done.expiresAt).toBeGreaterThan(done.completedAt!);
  });

  it('serves a real MP4, with Range answered by 206, and a JPEG thumbnail once completed', async () => {
    const job = await client.create({ prompt: 'a red fox' });
    await expect(client.fetchContent({ externalId: job.externalId, videoUrl: null }, 'video')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    clock.advance(DURATION);
    const sample = await readFile(path.join(defaultSampleDir(), 'sample.mp4'));

    const full = await client.fetchContent({ externalId: job.externalId, videoUrl: null }, 'video');
    const body = await bytes(full.body);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('video/mp4');
    expect(body.equals(sample)).toBe(true);

    const part = await client.fetchContent({ externalId: job.externalId, videoUrl: null }, 'video', 'bytes=100-199');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${sample.length}`);
    expect((await bytes(part.body)).equals(sample.subarray(100, 200))).toBe(true);

    const tail = await client.fetchContent({ externalId: job.externalId, videoUrl: null }, 'video', `bytes=${sample.length}-`);
    expect(tail.status).toBe(416);
    expect(tail.headers['content-range']).toBe(`bytes */${sample.length}`);
    tail.body.resume();

    const thumb = await client.fetchContent({ externalId: job.externalId, videoUrl: null }, 'thumbnail');
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect([...(await bytes(thumb.body)).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('accepts a multipart creation and logs whether a key came, never the key', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString('base64');
    const job = await client.create({ prompt: 'from an image', inputReference: `data:image/png;base64,${png}` });
    await createProviderClient({ dialect: 'openai', baseUrl: sim.baseUrl, apiKey: null }).retrieve(job.externalId);
    expect(sim.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['POST', '/v1/videos', true], ['GET', `/v1/videos/${job.externalId}`, false],
    ]);
    expect(sim.requests[0].contentType).toMatch(/^multipart\/form-data/);
    expect(JSON.stringify(sim.requests)).not.toContain(KEY);
  });

  it('lists newest first with limit and after, deletes, and remixes', async () => {
    const ids: string[] = [];
    for (const p of ['one', 'two', 'three']) { ids.push((await client.create({ prompt: p })).externalId); clock.advance(10); }
    const first = await client.list({ limit: 2 });
    expect(first.jobs.map((j) => j.prompt)).toEqual(['three', 'two']);
    expect(first.hasMore).toBe(true);
    const second = await client.list({ limit: 2, after: first.lastId! });
    expect(second.jobs.map((j) => j.prompt)).toEqual(['one']);
    expect(second.hasMore).toBe(false);

    const remix = await client.remix(ids[0], 'one, at night');
    expect(remix).toMatchObject({ remixOf: ids[0], prompt: 'one, at night', status: 'QUEUED' });
    await client.remove(ids[1]);
    await expect(client.retrieve(ids[1])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves models with their own limits, refusing others with the upstream message, and lists them', async () => {
    expect(await client.create({ prompt: 'p', model: 'demo-seedance', seconds: '13', size: '1344x768' })).toMatchObject({ seconds: '13', size: '1344x768' });
    expect(await client.create({ prompt: 'p', model: 'demo-single-8s', seconds: '8', size: '720x1280' })).toMatchObject({ seconds: '8' });
    await expect(client.create({ prompt: 'p', model: 'demo-single-8s', seconds: '4' })).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', transient: false, message: expect.stringContaining("'seconds'") });
    await expect(client.create({ prompt: 'p', model: 'demo-seedance', size: '1280x720' })).rejects.toMatchObject({ message: expect.stringContaining("'size'") });
    await expect(client.create({ prompt: 'p', model: 'sora-2' })).rejects.toMatchObject({ message: expect.stringContaining("'sora-2' does not exist") });
    expect((await client.list()).jobs).toHaveLength(2);
    expect((await client.listModels()).map((m) => [m.id, m.origin])).toEqual([['demo-video', 'listed'], ['demo-seedance', 'listed'], ['demo-single-8s', 'listed']]);
  });

  it('fails a "[fail]" job halfway and never finishes a "[slow]" one', async () => {
    const failing = await client.create({ prompt: 'a fox [fail]' });
    const slow = await client.create({ prompt: 'a fox [slow]' });
    clock.advance(DURATION * 10);
    expect(await client.retrieve(failing.externalId)).toMatchObject({ status: 'FAILED', errorCode: 'video_generation_failed', error: expect.stringContaining('[fail]') });
    const s = await client.retrieve(slow.externalId);
    expect(s.status).toBe('PROCESSING');
    expect(s.progress).toBeLessThan(100);
  });

  it('fails jobs created while failJobs is set, with its code and message', async () => {
    sim.faults.set({ failJobs: { code: 'moderation_blocked', message: 'blocked by the demo' } });
    const doomed = await client.create({ prompt: 'p' });
    sim.faults.set({ failJobs: null });
    const fine = await client.create({ prompt: 'p' });
    clock.advance(DURATION);
    expect(await client.retrieve(doomed.externalId)).toMatchObject({ status: 'FAILED', errorCode: 'moderation_blocked', error: 'blocked by the demo' });
    expect((await client.retrieve(fine.externalId)).status).toBe('COMPLETED');
  });

  it('reports an unknown status word while told to', async () => {
    const job = await client.create({ prompt: 'p' });
    sim.faults.set({ unknownStatus: 'starting' });
    expect(await client.retrieve(job.externalId)).toMatchObject({ status: null, rawStatus: 'starting' });
  });

  it('answers 429 with Retry-After for the given number of requests, then recovers', async () => {
    const job = await client.create({ prompt: 'p' });
    sim.faults.set({ rateLimit: { retryAfter: '3', times: 2 } });
    await expect(client.retrieve(job.externalId)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
    await expect(client.retrieve(job.externalId)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect((await client.retrieve(job.externalId)).externalId).toBe(job.externalId);
    sim.faults.set({ rateLimit: { retryAfter: new Date(Date.now() + 60_000).toUTCString(), times: 1 } });
    const e = await client.retrieve(job.externalId).then(() => null, (err: unknown) => err as UpstreamError);
    expect(e?.retryAfterMs).toBeGreaterThan(40_000);
  });

  it('simulates 500s, garbage bodies, a bad key and a hang', async () => {
    sim.faults.set({ serverError: { times: 1 } });
    await expect(client.create({ prompt: 'p' })).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', transient: true, httpStatus: 500 });
    sim.faults.set({ garbage: { times: 1 } });
    await expect(client.create({ prompt: 'p' })).rejects.toMatchObject({ transient: true, message: expect.stringContaining('unparsable') });
    sim.faults.set({ unauthorized: true });
    await expect(client.create({ prompt: 'p' })).rejects.toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED' });
    sim.faults.set({ unauthorized: false, hang: { times: 1 } });
    const impatient = createProviderClient({ dialect: 'openai', baseUrl: sim.baseUrl, apiKey: KEY, timeoutMs: 200 });
    await expect(impatient.create({ prompt: 'p' })).rejects.toMatchObject({ reached: 'unknown', transient: true });
    expect((await client.create({ prompt: 'p' })).status).toBe('QUEUED');
    expect(() => sim.faults.set({ hang: { times: -1 } })).toThrow();
  });

  it('exposes its faults over HTTP only when asked to', async () => {
    const post = (base: string, body: unknown) => fetch(`${base}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post(sim.baseUrl, { unauthorized: true })).status).toBe(404);
    expect(sim.faults.current()).toEqual({});
    const controlled = await startSimulator({ controlApi: true, clock });
    try {
      expect((await post(controlled.baseUrl, { unauthorized: true })).status).toBe(200);
      const c = createProviderClient({ dialect: 'openai', baseUrl: controlled.baseUrl, apiKey: null });
      await expect(c.create({ prompt: 'p' })).rejects.toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED' });
      expect((await post(controlled.baseUrl, { nonsense: 1 })).status).toBe(400);
    } finally {
      await controlled.close();
    }
  });

  it('runs on the real clock by default: a short job completes on its own', async () => {
    const quick = await startSimulator({ jobDurationMs: 150 });
    try {
      const c = createProviderClient({ dialect: 'openai', baseUrl: quick.baseUrl, apiKey: null });
      const job = await c.create({ prompt: 'quick' });
      let status = job.status;
      for (let i = 0; i < 200 && status !== 'COMPLETED'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        status = (await c.retrieve(job.externalId)).status;
      }
      expect(status).toBe('COMPLETED');
    } finally {
      await quick.close();
    }
  });

  it('refuses to start without its sample media, naming the folder', async () => {
    await expect(startSimulator({ sampleDir: '/nonexistent/demo' })).rejects.toThrow(/sample\.mp4 not found in \/nonexistent\/demo/);
  });
});
