import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '@shared/contract/status';
import { toView, type TaskRecord } from './record';
import { openHarness, until, type Harness } from './test-support/service-harness';
import { freePort, startTestUpstream, type TestUpstream } from './test-support/service-upstream';

// Closed after each test by the helpers that open them (test-cleanup.ts).
let h: Harness | undefined;
let up: TestUpstream | undefined;

const statusOf = (videoId: string): TaskStatus | undefined => h!.store.get(videoId)?.status;

describe('a paid job is never submitted twice', () => {
  it('openai: a create that times out after the job was made is adopted through the list, with one POST', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    up.addJob({ prompt: 'same prompt, an older job of someone else', created_at: Math.floor(Date.now() / 1000) - 3600 });
    up.createThenHang = true;
    const t = await h.service.createTask('local', { prompt: 'same prompt, an older job of someone else', providerId: h.providerId });
    await h.service.idle();
    const made = [...up.jobs.values()].at(-1)!;
    expect(up.count('POST', '/v1/videos')).toBe(1);
    expect(h.store.get(t.videoId)).toMatchObject({ externalId: made.id, submitState: 'accepted', status: 'QUEUED' });
    // The poller keeps it going without sending it again.
    up.createThenHang = false;
    h.poller.start();
    h.clock.advance(13_000);
    await until(() => up!.count('GET', `/v1/videos/${made.id}`) > 0, 'a poll of the adopted job');
    expect(up.count('POST', '/v1/videos')).toBe(1);
  });

  it('openai: when the list does not show the job, the task fails SUBMIT_UNCONFIRMED and is not re-sent', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    up.failNext('POST', { kind: 'hang' });
    const t = await h.service.createTask('local', { prompt: 'lost in the void', providerId: h.providerId });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'SUBMIT_UNCONFIRMED' });
    expect(h.store.get(t.videoId)?.error).toMatch(/may exist upstream.*not re-sent to avoid paying twice/);
    h.poller.start();
    h.clock.advance(60_000);
    expect(up.count('POST', '/v1/videos')).toBe(1);
  });

  it('sora: a create that times out is SUBMIT_UNCONFIRMED at once (no list endpoint), one POST', async () => {
    up = await startTestUpstream('sora');
    h = await openHarness({ dialect: 'sora', baseUrl: up.url });
    up.createThenHang = true;
    const t = await h.service.createTask('local', { prompt: 'a slow one', providerId: h.providerId });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'SUBMIT_UNCONFIRMED' });
    expect(h.conn.updates(t.videoId).at(-1)?.status).toBe('FAILED');
    expect(up.count('POST', '/sora/v1/videos')).toBe(1);
  });

  it('a "sending" record found at start-up is reconciled, never re-sent', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    const started = h.clock.now();
    const job = up.addJob({ prompt: 'crashed mid-flight', created_at: Math.floor(started / 1000) });
    // As a crash between sending the POST and storing its answer leaves it.
    const rec: TaskRecord = {
      videoId: 'vid_crashed', externalId: null, providerId: h.providerId, status: 'PENDING', progress: 0, prompt: 'crashed mid-flight',
      model: null, seconds: null, size: null, videoUrl: null, localPath: null, thumbnailUrl: null, error: null, errorCode: null,
      createdAt: new Date(started).toISOString(), updatedAt: new Date(started).toISOString(), completedAt: null, expiresAt: null,
      remixOf: null, submitState: 'sending', submitStartedAt: started, inputReference: null, notFoundCount: 0, faultCount: 0, userId: 'local',
    };
    await h.store.put(rec);
    h.poller.start();
    h.clock.advance(0);
    await until(() => h!.store.get('vid_crashed')?.submitState === 'accepted', 'the crashed task adopted');
    expect(h.store.get('vid_crashed')?.externalId).toBe(job.id);
    expect(up.count('POST', '/v1/videos')).toBe(0);
    expect(toView(h.store.get('vid_crashed')!).status).toBe('QUEUED');
  });

  it('connection refused: stays PENDING, then is submitted exactly once when the upstream comes up', async () => {
    const port = await freePort();
    h = await openHarness({ dialect: 'openai', baseUrl: `http://127.0.0.1:${port}` });
    h.poller.start();
    const t = await h.service.createTask('local', { prompt: 'offline queue', providerId: h.providerId });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'PENDING', submitState: 'unsent' });
    // Still down at the first retry.
    h.clock.advance(5_000);
    await until(() => (h!.store.get(t.videoId)?.faultCount ?? 0) >= 2, 'a second refused attempt');
    expect(statusOf(t.videoId)).toBe('PENDING');
    up = await startTestUpstream('openai', port);
    for (let i = 0; i < 20 && up.count('POST', '/v1/videos') === 0; i++) {
      h.clock.advance(30_000);
      await new Promise((r) => setTimeout(r, 60));
    }
    await until(() => h!.store.get(t.videoId)?.submitState === 'accepted', 'the queued task sent');
    h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(up.count('POST', '/v1/videos')).toBe(1);
    expect(statusOf(t.videoId)).toBe('QUEUED');
  });

  it('429 on create: nothing was made, so it stays unsent and is sent again after Retry-After', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    h.poller.start();
    up.failNext('POST', { kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const t = await h.service.createTask('local', { prompt: 'busy upstream', providerId: h.providerId });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'PENDING', submitState: 'unsent' });
    expect(up.count('POST', '/v1/videos')).toBe(1);
    await until(() => h!.clock.pending > 0, 'a retry scheduled');
    h.clock.advance(25_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(up.count('POST', '/v1/videos')).toBe(1);
    h.clock.advance(6_000);
    await until(() => h!.store.get(t.videoId)?.submitState === 'accepted', 'sent after Retry-After');
    expect(up.count('POST', '/v1/videos')).toBe(2);
  });

  it('a 500 or a garbled 2xx on create may hide a made job: reconciled or SUBMIT_UNCONFIRMED, never a second POST', async () => {
    up = await startTestUpstream('sora');
    h = await openHarness({ dialect: 'sora', baseUrl: up.url });
    h.poller.start();
    up.failNext('POST', { kind: 'status', status: 500 });
    const five = await h.service.createTask('local', { prompt: 'a 500 on create', providerId: h.providerId });
    up.failNext('POST', { kind: 'garbage' });
    const garbled = await h.service.createTask('local', { prompt: 'garbage on create', providerId: h.providerId });
    await until(() => statusOf(five.videoId) === 'FAILED' && statusOf(garbled.videoId) === 'FAILED', 'both settled');
    for (const t of [five, garbled]) {
      expect(h.store.get(t.videoId)).toMatchObject({ errorCode: 'SUBMIT_UNCONFIRMED' });
      expect(h.store.get(t.videoId)?.error).toMatch(/may exist upstream/);
    }
    h.clock.advance(120_000);
    await h.service.idle();
    expect(up.count('POST', '/sora/v1/videos')).toBe(2);
  });

  it('openai: a 502 on create whose job shows in the list is adopted, with one POST', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    up.failNext('POST', { kind: 'status', status: 502 });
    const t = await h.service.createTask('local', { prompt: 'a relay that timed out', providerId: h.providerId });
    // As a relay that made the job and then failed to pass the answer on leaves it.
    const job = up.addJob({ prompt: 'a relay that timed out', created_at: Math.floor(h.clock.now() / 1000) });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ externalId: job.id, submitState: 'accepted' });
    expect(up.count('POST', '/v1/videos')).toBe(1);
  });

  it('400 fails with the upstream message; 401 also tells every client the key was refused', async () => {
    up = await startTestUpstream('openai');
    h = await openHarness({ dialect: 'openai', baseUrl: up.url });
    up.failNext('POST', { kind: 'status', status: 400, body: { error: { code: 'invalid_size', message: 'size 1x1 is not supported' } } });
    const bad = await h.service.createTask('local', { prompt: 'bad size', providerId: h.providerId });
    await h.service.idle();
    expect(h.store.get(bad.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'SUBMIT_REJECTED' });
    expect(h.store.get(bad.videoId)?.error).toContain('size 1x1 is not supported');

    up.failNext('POST', { kind: 'status', status: 401, body: { error: { code: 'invalid_api_key', message: 'Incorrect API key' } } });
    const denied = await h.service.createTask('local', { prompt: 'no key', providerId: h.providerId });
    await h.service.idle();
    expect(h.store.get(denied.videoId)).toMatchObject({ status: 'FAILED', errorCode: 'UPSTREAM_UNAUTHORIZED' });
    const notice = h.conn.sent.find((m) => m.type === 'notice');
    expect(notice?.payload).toMatchObject({ level: 'error', code: 'UPSTREAM_UNAUTHORIZED', providerId: h.providerId });
    expect(JSON.stringify(h.conn.sent)).not.toContain('test-key-0123456789abcdef');
    expect(up.count('POST', '/v1/videos')).toBe(2);
  });
});
