// The fal dialect against the demo's queue API (real HTTP on 127.0.0.1, the media host on a second port).
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from './catalog/builtin-models';
import { createProviderClient } from './create-provider-client';
import { falAppId } from './fal';
import { bytes, DURATION, expectKeyOnlyAtTheApi, KEY, sampleVideo, useDialect } from './test-support/dialect-test-support';
import { sendJson, startRecordingUpstream } from './test-support/recording-upstream';

const f = useDialect('fal');
const veo = BUILTIN_MODELS.fal.find((m) => m.id === 'fal-ai/veo3.1')!;
const kling = BUILTIN_MODELS.fal.find((m) => m.id.startsWith('fal-ai/kling-video'))!;

describe('fal dialect', () => {
  it('queues a request, shows its queue position, and ends with the video kept byte for byte', async () => {
    const first = await f.client.create({ prompt: 'a red fox', model: veo.id, seconds: '8', size: '1920x1080', entry: veo });
    const second = await f.client.create({ prompt: 'a grey fox', model: veo.id, seconds: '4', size: '720x1280', entry: veo });
    expect(first).toMatchObject({ status: 'QUEUED', externalId: `fal-ai/veo3.1/requests/${first.externalId.split('/').at(-1)}` });
    expect(second.queuePosition).toBe(1);
    expect(f.sim.requests[0]).toMatchObject({ method: 'POST', path: '/fal/fal-ai/veo3.1', keyed: true });
    expect((await f.client.retrieve(second.externalId)).queuePosition).toBe(1);
    f.clock.advance(DURATION / 2);
    expect(await f.client.retrieve(first.externalId)).toMatchObject({ status: 'PROCESSING', progress: null });
    f.clock.advance(DURATION / 2);
    const done = await f.client.retrieve(first.externalId);
    expect(done.status).toBe('COMPLETED');
    expect(f.sim.requests.slice(-2).map((r) => r.path)).toEqual([`/fal/${first.externalId}/status`, `/fal/${first.externalId}`]);
    expect(new URL(done.videoUrl!).origin).toBe(f.sim.mediaUrl);
    const video = await f.client.fetchContent({ externalId: done.externalId, videoUrl: done.videoUrl }, 'video');
    expect((await bytes(video.body)).equals(await sampleVideo())).toBe(true);
    expectKeyOnlyAtTheApi(f.sim);
  });

  it('follows a model with a subpath at its app (status and result are not under the subpath)', async () => {
    const job = await f.client.create({ prompt: 'p', model: kling.id, seconds: '10', size: '1440x1440', entry: kling });
    expect(job.externalId.startsWith('fal-ai/kling-video/requests/')).toBe(true);
    expect(falAppId(kling.id)).toBe('fal-ai/kling-video');
    f.clock.advance(DURATION);
    expect((await f.client.retrieve(job.externalId)).status).toBe('COMPLETED');
  });

  it('sends image-to-video to the endpoint the catalog names, with the image URL', async () => {
    const job = await f.client.create({ prompt: 'p', model: veo.id, inputReference: 'data:image/png;base64,iVBORw0KGgo=', entry: veo });
    expect(f.sim.requests[0].path).toBe('/fal/fal-ai/veo3.1/image-to-video');
    f.clock.advance(DURATION);
    expect((await f.client.retrieve(job.externalId)).status).toBe('COMPLETED');
  });

  it('shows the upstream words of a failed request', async () => {
    const job = await f.client.create({ prompt: 'a fox [fail]', model: veo.id, entry: veo });
    f.clock.advance(DURATION);
    expect(await f.client.retrieve(job.externalId)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('[fail]') });
  });

  it('cancels at the cancel endpoint: confirmed while it waits or runs, finished once it ended', async () => {
    const queued = await f.client.create({ prompt: 'p', model: veo.id, entry: veo });
    expect(await f.client.cancel(queued.externalId)).toBe('confirmed');
    expect(f.sim.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/fal/${queued.externalId}/cancel`, keyed: true });
    const done = await f.client.create({ prompt: 'q', model: veo.id, entry: veo });
    f.clock.advance(DURATION);
    expect(await f.client.cancel(done.externalId)).toBe('finished');
  });

  it('turns 429 (Retry-After), 500 and a hang into transient faults', async () => {
    const job = await f.client.create({ prompt: 'p', model: veo.id, entry: veo });
    f.sim.faults.set({ rateLimit: { retryAfter: '2', times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 2000 });
    f.sim.faults.set({ serverError: { times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ transient: true, httpStatus: 500 });
    f.sim.faults.set({ hang: { times: 1 } });
    await expect(f.impatient.retrieve(job.externalId)).rejects.toMatchObject({ transient: true, reached: 'unknown' });
  });

  it('refuses values the model does not take with the upstream words, and unknown models', async () => {
    // Sent as given (no catalog entry): the upstream says what is wrong.
    await expect(f.client.create({ prompt: 'p', model: veo.id, seconds: '5' })).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', transient: false, message: expect.stringContaining("'duration'") });
    await expect(f.client.create({ prompt: 'p', model: 'fal-ai/no-such-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(f.client.retrieve('../../etc/passwd')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('follows the answer\'s URLs only on its own origin, else builds them from the base, and sends the key as "Key"', async () => {
    const up = await startRecordingUpstream((req, res) => sendJson(res, 200, {
      request_id: 'req-1', status: 'IN_QUEUE', queue_position: 0,
      response_url: 'https://elsewhere.invalid/fal-ai/veo3.1/requests/req-1',
      status_url: 'https://elsewhere.invalid/fal-ai/veo3.1/requests/req-1/status',
      cancel_url: 'https://elsewhere.invalid/fal-ai/veo3.1/requests/req-1/cancel',
    }));
    try {
      const c = createProviderClient({ dialect: 'fal', baseUrl: up.url, apiKey: KEY });
      const job = await c.create({ prompt: 'p', model: 'fal-ai/veo3.1/image-to-video', inputReference: 'https://images.invalid/a.png' });
      expect(job.externalId).toBe('fal-ai/veo3.1/requests/req-1');
      expect(up.requests[0].headers.authorization).toBe(`Key ${KEY}`);
      expect(JSON.parse(up.requests[0].body.toString())).toEqual({ prompt: 'p', image_url: 'https://images.invalid/a.png' });
      up.handle((_r, res) => sendJson(res, 200, { status: 'IN_PROGRESS', request_id: 'req-1' }));
      await c.retrieve(job.externalId);
      expect(up.requests[1].url).toBe('/fal-ai/veo3.1/requests/req-1/status');
    } finally {
      await up.close();
    }
  });
});
