// What Cancel does upstream, through the task service: it stops the job where the API can (and the task
// says the upstream confirmed), a job that had already ended is followed to its end (its video is paid),
// a task that never reached the upstream sends nothing, and a cancel that comes while the creation is in
// flight is sent as soon as the job has an id.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../providers/catalog/builtin-models';
import { startSimulator, type Simulator } from '../providers/simulator/simulator';
import { sendJson, startRecordingUpstream } from '../providers/test-support/recording-upstream';
import { openHarness, until, type Harness } from './test-support/service-harness';
import { freePort } from './test-support/service-upstream';
import { closeAfterTest } from './test-support/test-cleanup';

async function withSimulator(dialect: 'fal' | 'replicate'): Promise<{ h: Harness; sim: Simulator }> {
  const h = await openHarness({ dialect, baseUrl: 'http://127.0.0.1:9', clientTimeoutMs: 1_500 });
  const sim = closeAfterTest(await startSimulator({ jobDurationMs: 60_000, clock: h.clock, recordRequests: true }));
  await h.registry.save({ id: h.providerId, name: 'Test upstream', dialect, baseUrl: sim.urls[dialect] });
  return { h, sim };
}

describe('cancel upstream', () => {
  it('fal: a job that ended upstream before the cancel came is followed to its end, not cancelled', async () => {
    const { h, sim } = await withSimulator('fal');
    const t = await h.service.createTask('local', { prompt: 'done already', providerId: h.providerId });
    await h.service.idle();
    h.clock.advance(61_000); // it finished upstream; nobody polled yet
    const after = await h.service.cancelTask(t.videoId);
    expect(sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/cancel'))).toMatchObject([{ status: 400 }]);
    expect(after).toMatchObject({ status: 'COMPLETED', upstreamCancel: null });
  });

  it('replicate: a task that never reached the upstream sends nothing, now or later', async () => {
    const port = await freePort();
    const h = await openHarness({ dialect: 'replicate', baseUrl: `http://127.0.0.1:${port}` });
    const t = await h.service.createTask('local', { prompt: 'never sent', providerId: h.providerId, model: BUILTIN_MODELS.replicate[0].id });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'PENDING', submitState: 'unsent' });
    expect(await h.service.cancelTask(t.videoId)).toMatchObject({ status: 'CANCELLED', upstreamCancel: 'not-sent' });
    const up = closeAfterTest(await startRecordingUpstream(undefined, port));
    h.poller.start();
    await h.runClock(60_000);
    expect(up.requests).toEqual([]);
  });

  it('replicate: a cancel during the creation is sent once the creation answers with the job\'s id', async () => {
    const held: ServerResponse[] = [];
    const up = closeAfterTest(await startRecordingUpstream((req, res) => {
      if (req.url.endsWith('/predictions') && req.method === 'POST') return void held.push(res);
      if (req.url.endsWith('/cancel')) return sendJson(res, 200, prediction('canceled'));
      sendJson(res, 200, prediction('processing'));
    }));
    const prediction = (status: string) => ({ id: 'pred1', status, model: 'kwaivgi/kling-v2.5-turbo-pro', version: 'hidden', input: { prompt: 'p' }, output: null, error: null, created_at: new Date().toISOString(), urls: {} });
    const h = await openHarness({ dialect: 'replicate', baseUrl: up.url, clientTimeoutMs: 5_000 });
    const t = await h.service.createTask('local', { prompt: 'p', providerId: h.providerId, model: BUILTIN_MODELS.replicate[0].id });
    await until(() => held.length === 1, 'the creation reached the upstream');
    expect(await h.service.cancelTask(t.videoId)).toMatchObject({ status: 'CANCELLED', upstreamCancel: 'unconfirmed' });
    sendJson(held[0], 201, prediction('starting'));
    await h.service.idle();
    await until(() => h.store.get(t.videoId)?.upstreamCancel === 'confirmed', 'the late cancel confirmed');
    expect(up.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/models/kwaivgi/kling-v2.5-turbo-pro/predictions', 'POST /v1/predictions/pred1/cancel']);
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'CANCELLED', externalId: 'pred1' });
  });
});
