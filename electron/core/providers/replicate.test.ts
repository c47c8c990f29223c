// The replicate dialect against the demo's Replicate (real HTTP on 127.0.0.1, the media host on a second port).
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from './catalog/builtin-models';
import { bytes, DURATION, expectKeyOnlyAtTheApi, KEY, sampleVideo, useDialect } from './test-support/dialect-test-support';
import { sendJson, startRecordingUpstream } from './test-support/recording-upstream';
import { createProviderClient } from './create-provider-client';
import { progressFromLogs } from './replicate';

const f = useDialect('replicate');
const kling = BUILTIN_MODELS.replicate.find((m) => m.id === 'kwaivgi/kling-v2.5-turbo-pro')!;

describe('replicate dialect', () => {
  it('creates a prediction of an official model with its own field names, with progress from the logs, to a video kept byte for byte', async () => {
    const created = await f.client.create({ prompt: 'a red fox', model: kling.id, seconds: '10', size: '1080x1920', entry: kling });
    expect(created).toMatchObject({ status: 'QUEUED', prompt: 'a red fox', model: kling.id });
    expect(f.sim.requests[0]).toMatchObject({ method: 'POST', path: '/replicate/v1/models/kwaivgi/kling-v2.5-turbo-pro/predictions', keyed: true });
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      f.clock.advance(DURATION / 10);
      const job = await f.client.retrieve(created.externalId);
      if (job.status === 'PROCESSING') seen.push(job.progress ?? -1);
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBeGreaterThan(3);
    f.clock.advance(DURATION);
    const done = await f.client.retrieve(created.externalId);
    expect(done).toMatchObject({ status: 'COMPLETED', seconds: '10' });
    expect(new URL(done.videoUrl!).origin).toBe(f.sim.mediaUrl);
    expect(done.expiresAt! - done.completedAt!).toBe(3600_000);
    const video = await f.client.fetchContent({ externalId: done.externalId, videoUrl: done.videoUrl }, 'video');
    expect((await bytes(video.body)).equals(await sampleVideo())).toBe(true);
    expectKeyOnlyAtTheApi(f.sim);
  });

  it('finds the output gone an hour after the prediction ended', async () => {
    const job = await f.client.create({ prompt: 'p', model: kling.id, entry: kling });
    f.clock.advance(DURATION);
    const done = await f.client.retrieve(job.externalId);
    f.clock.advance(3600_000 + 1);
    await expect(f.client.fetchContent({ externalId: done.externalId, videoUrl: done.videoUrl }, 'video')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shows the upstream words of a failed prediction', async () => {
    const job = await f.client.create({ prompt: 'a fox [fail]', model: kling.id, entry: kling });
    f.clock.advance(DURATION);
    expect(await f.client.retrieve(job.externalId)).toMatchObject({ status: 'FAILED', errorCode: 'failed', error: expect.stringContaining('[fail]') });
  });

  it('cancels at the cancel endpoint: confirmed while it runs, finished once it ended', async () => {
    const running = await f.client.create({ prompt: 'p', model: kling.id, entry: kling });
    f.clock.advance(DURATION / 2);
    expect(await f.client.cancel(running.externalId)).toBe('confirmed');
    expect(f.sim.requests.at(-1)).toMatchObject({ method: 'POST', path: `/replicate/v1/predictions/${running.externalId}/cancel`, keyed: true });
    expect(await f.client.retrieve(running.externalId)).toMatchObject({ status: 'CANCELLED' });
    const done = await f.client.create({ prompt: 'q', model: kling.id, entry: kling });
    f.clock.advance(DURATION);
    expect(await f.client.cancel(done.externalId)).toBe('finished');
  });

  it('lists newest first, with a cursor and created_after, for finding a lost creation', async () => {
    const ids: string[] = [];
    for (const p of ['one', 'two', 'three']) { ids.push((await f.client.create({ prompt: p, model: kling.id, entry: kling })).externalId); f.clock.advance(10); }
    const all = await f.client.list();
    expect(all.jobs.map((j) => j.prompt)).toEqual(['three', 'two', 'one']);
    expect(all.jobs[0].createdAt).toBe(f.clock.now() - 10);
    const recent = await f.client.list({ createdAfterMs: f.clock.now() - 15 });
    expect(recent.jobs.map((j) => j.externalId)).toEqual([ids[2]]);
  });

  it('turns 429 (Retry-After), 500, garbage and a hang into transient faults', async () => {
    const job = await f.client.create({ prompt: 'p', model: kling.id, entry: kling });
    f.sim.faults.set({ rateLimit: { retryAfter: '4', times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ code: 'RATE_LIMITED', transient: true, retryAfterMs: 4000 });
    f.sim.faults.set({ serverError: { times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ transient: true, httpStatus: 500 });
    f.sim.faults.set({ garbage: { times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ transient: true });
    f.sim.faults.set({ hang: { times: 1 } });
    await expect(f.impatient.create({ prompt: 'p', model: kling.id, entry: kling })).rejects.toMatchObject({ transient: true, reached: 'unknown' });
  });

  it('refuses an unknown model with the upstream message, and a bad id before sending', async () => {
    await expect(f.client.create({ prompt: 'p', model: 'nobody/nothing' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('nobody/nothing does not exist') });
    await expect(f.client.create({ prompt: 'p', model: 'not a model' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(f.client.retrieve('../../v1/account')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('creates a versioned model at /v1/predictions and sends a reference image as a data URL', async () => {
    const up = await startRecordingUpstream((_r, res) => sendJson(res, 201, { id: 'p1', status: 'starting', input: {}, urls: {} }));
    try {
      const c = createProviderClient({ dialect: 'replicate', baseUrl: up.url, apiKey: KEY });
      const version = 'a'.repeat(64);
      await c.create({ prompt: 'p', model: `someone/model:${version}`, inputReference: 'data:image/png;base64,iVBORw0KGgo=' });
      expect(up.requests[0].url).toBe('/v1/predictions');
      expect(up.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
      expect(JSON.parse(up.requests[0].body.toString())).toEqual({ version, input: { prompt: 'p', image: 'data:image/png;base64,iVBORw0KGgo=' } });
    } finally {
      await up.close();
    }
  });

  it('reads progress from the last percentage a model printed', () => {
    expect(progressFromLogs('loading\n 10%|█ | 1/10\n 45%|████▌ | 9/20')).toBe(45);
    expect(progressFromLogs('no numbers here')).toBeNull();
    expect(progressFromLogs(undefined)).toBeNull();
  });
});
