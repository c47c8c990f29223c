// The gemini dialect against the demo's Gemini API (real HTTP on 127.0.0.1; the file download redirects to
// the media host on a second port, as Google's does to storage).
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from './catalog/builtin-models';
import { createProviderClient } from './create-provider-client';
import { GEMINI_FILE_LIFETIME_MS } from './gemini';
import { bytes, DURATION, expectKeyOnlyAtTheApi, KEY, sampleVideo, useDialect } from './test-support/dialect-test-support';
import { sendJson, startRecordingUpstream } from './test-support/recording-upstream';

const f = useDialect('gemini');
const fast = BUILTIN_MODELS.gemini[0];

describe('gemini dialect', () => {
  it('starts an operation, follows it to done, and downloads the file with the key only on its own origin', async () => {
    const created = await f.client.create({ prompt: 'a red fox', model: fast.id, seconds: '8', size: '1920x1080', entry: fast });
    expect(created).toMatchObject({ status: 'QUEUED', model: fast.id, externalId: expect.stringMatching(/^models\/veo-3\.1-fast-generate-001\/operations\//) });
    expect(f.sim.requests[0]).toMatchObject({ method: 'POST', path: `/gemini/v1beta/models/${fast.id}:predictLongRunning`, keyed: true, authorization: false });
    f.clock.advance(DURATION / 2);
    expect(await f.client.retrieve(created.externalId)).toMatchObject({ status: 'PROCESSING', progress: null });
    f.clock.advance(DURATION / 2);
    const done = await f.client.retrieve(created.externalId);
    expect(done.status).toBe('COMPLETED');
    expect(done.expiresAt! - done.completedAt!).toBe(GEMINI_FILE_LIFETIME_MS);
    // The URI is on the API's own origin; it redirects to the media host.
    expect(new URL(done.videoUrl!).origin).toBe(new URL(f.sim.baseUrl).origin);
    const video = await f.client.fetchContent({ externalId: done.externalId, videoUrl: done.videoUrl }, 'video');
    expect((await bytes(video.body)).equals(await sampleVideo())).toBe(true);
    expect(f.sim.requests.at(-1)).toMatchObject({ path: expect.stringMatching(/^\/gemini\/v1beta\/files\/[0-9a-f]{32}:download\?alt=media$/), keyed: true });
    expectKeyOnlyAtTheApi(f.sim);
  });

  it('shows the operation\'s error, and a video the safety filter held back', async () => {
    const failing = await f.client.create({ prompt: 'a fox [fail]', model: fast.id, entry: fast });
    const filtered = await f.client.create({ prompt: 'a fox [filtered]', model: fast.id, entry: fast });
    f.clock.advance(DURATION);
    expect(await f.client.retrieve(failing.externalId)).toMatchObject({ status: 'FAILED', errorCode: '13', error: expect.stringContaining('[fail]') });
    expect(await f.client.retrieve(filtered.externalId)).toMatchObject({ status: 'FAILED', errorCode: 'RAI_MEDIA_FILTERED', error: expect.stringContaining('[filtered]') });
  });

  it('lists the models that make videos (predictLongRunning) across pages', async () => {
    const listed = await f.client.listModels();
    expect(listed.map((m) => [m.id, m.label, m.origin])).toEqual([
      ['veo-3.1-fast-generate-001', 'Veo 3.1 Fast', 'listed'], ['veo-3.1-generate-001', 'Veo 3.1', 'listed'],
    ]);
  });

  it('has no upstream cancel and no job list: both say so without a request', async () => {
    const job = await f.client.create({ prompt: 'p', model: fast.id, entry: fast });
    const before = f.sim.requests.length;
    await expect(f.client.cancel(job.externalId)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', reached: 'no', message: expect.stringContaining('does not support') });
    await expect(f.client.list()).rejects.toMatchObject({ reached: 'no' });
    expect(f.sim.requests.length).toBe(before);
  });

  it('turns 429 (Retry-After), 500 and a hang into transient faults, and refuses what the model does not take', async () => {
    const job = await f.client.create({ prompt: 'p', model: fast.id, entry: fast });
    f.sim.faults.set({ rateLimit: { retryAfter: '9', times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 9000 });
    f.sim.faults.set({ serverError: { times: 1 } });
    await expect(f.client.retrieve(job.externalId)).rejects.toMatchObject({ transient: true, httpStatus: 500 });
    f.sim.faults.set({ hang: { times: 1 } });
    await expect(f.impatient.retrieve(job.externalId)).rejects.toMatchObject({ transient: true, reached: 'unknown' });
    await expect(f.client.create({ prompt: 'p', model: fast.id, seconds: '4', size: '1920x1080' })).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', message: expect.stringContaining('1080p') });
    await expect(f.client.create({ prompt: 'p', model: 'veo-9' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(f.client.create({ prompt: 'p', model: fast.id, inputReference: 'https://images.invalid/a.png' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('sends the key as x-goog-api-key, the image as bytes, and never the key to a file URI on another origin', async () => {
    const cdn = await startRecordingUpstream((_r, res) => { res.writeHead(200, { 'content-type': 'video/mp4' }); res.end('mp4'); });
    const up = await startRecordingUpstream((_r, res) => sendJson(res, 200, { name: 'models/veo-x/operations/op1' }));
    try {
      const c = createProviderClient({ dialect: 'gemini', baseUrl: up.url, apiKey: KEY });
      await c.create({ prompt: 'p', model: 'veo-x', seconds: '6', size: '720x1280', inputReference: 'data:image/png;base64,iVBORw0KGgo=' });
      expect(up.requests[0].headers['x-goog-api-key']).toBe(KEY);
      expect(up.requests[0].headers.authorization).toBeUndefined();
      expect(JSON.parse(up.requests[0].body.toString())).toEqual({
        instances: [{ prompt: 'p', image: { bytesBase64Encoded: 'iVBORw0KGgo=', mimeType: 'image/png' } }],
        parameters: { aspectRatio: '9:16', resolution: '720p', durationSeconds: 6 },
      });
      const res = await c.fetchContent({ externalId: 'models/veo-x/operations/op1', videoUrl: `${cdn.url}/file.mp4` }, 'video');
      res.body.resume();
      expect(cdn.requests[0].headers['x-goog-api-key']).toBeUndefined();
    } finally {
      await Promise.all([up.close(), cdn.close()]);
    }
  });
});
