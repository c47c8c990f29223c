import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderClient } from './create-provider-client';
import { UpstreamError } from './provider-client';
import { sendJson, startRecordingUpstream, type RecordingUpstream } from './test-support/recording-upstream';

const KEY = 'test-key-0123456789abcdef';
let up: RecordingUpstream;
beforeEach(async () => { up = await startRecordingUpstream(); });
afterEach(async () => { await up.close(); });

const client = () => createProviderClient({ dialect: 'sora', baseUrl: up.url, apiKey: KEY });

describe('sora dialect', () => {
  it('creates a job with a JSON body and the raw key, reading task_id and "30%"', async () => {
    up.handle((_req, res) => sendJson(res, 200, { task_id: 'video_4df2', status: 'processing', progress: '30%' }));
    const job = await client().create({ prompt: 'a red fox', model: 'sora-2', seconds: '8', size: '1280x720' });
    expect(job).toMatchObject({ externalId: 'video_4df2', status: 'PROCESSING', rawStatus: 'processing', progress: 30 });
    const req = up.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/sora/v1/videos');
    expect(req.headers.authorization).toBe(KEY);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.body.toString())).toEqual({ prompt: 'a red fox', model: 'sora-2', seconds: '8', size: '1280x720' });
  });

  it('retrieves a job whose answer names no id, as in the origin document', async () => {
    up.handle((_req, res) => sendJson(res, 200, { status: 'completed', video_url: `${up.url}/sora/videos/x.mp4`, progress: 100 }));
    const job = await client().retrieve('video_abc');
    expect(up.requests[0].url).toBe('/sora/v1/videos/video_abc');
    expect(job).toMatchObject({ externalId: 'video_abc', status: 'COMPLETED', progress: 100, videoUrl: `${up.url}/sora/videos/x.mp4` });
  });

  it('reads video_id, a string error and status synonyms', async () => {
    up.handle((_req, res) => sendJson(res, 200, { video_id: 'v9', status: 'FAILURE', error: 'content policy' }));
    const job = await client().retrieve('v9');
    expect(job).toMatchObject({ externalId: 'v9', status: 'FAILED', error: 'content policy', errorCode: null });
  });

  it('leaves an unknown status as null, keeping the raw word', async () => {
    up.handle((_req, res) => sendJson(res, 200, { id: 'v1', status: 'starting' }));
    const job = await client().retrieve('v1');
    expect(job.status).toBeNull();
    expect(job.rawStatus).toBe('starting');
  });

  it('refuses list and remix without calling the upstream', async () => {
    const c = client();
    expect(c.supportsList).toBe(false);
    expect(c.supportsRemix).toBe(false);
    await expect(c.list()).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', transient: false });
    await expect(c.remix('v1', 'again')).rejects.toBeInstanceOf(UpstreamError);
    expect(up.requests).toHaveLength(0);
  });

  it('fetches a video on its own origin with the key and one elsewhere without it', async () => {
    const cdn = await startRecordingUpstream((_req, res) => { res.writeHead(200, { 'content-type': 'video/mp4' }); res.end('mp4-bytes'); });
    up.handle((_req, res) => { res.writeHead(200, { 'content-type': 'video/mp4' }); res.end('own-bytes'); });
    try {
      const own = await client().fetchContent({ externalId: 'v1', videoUrl: `${up.url}/sora/videos/v1.mp4` }, 'video');
      expect(own.status).toBe(200);
      expect(up.requests[0].headers.authorization).toBe(KEY);
      own.body.resume();
      const other = await client().fetchContent({ externalId: 'v1', videoUrl: `${cdn.url.replace('127.0.0.1', 'localhost')}/v1.mp4` }, 'video');
      const chunks: Buffer[] = [];
      for await (const c of other.body) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('mp4-bytes');
      expect(cdn.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await cdn.close();
    }
  });

  it('refuses a video URL that is not http(s)', async () => {
    await expect(client().fetchContent({ externalId: 'v1', videoUrl: 'file:///etc/passwd' }, 'video')).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', reached: 'no' });
    await expect(client().fetchContent({ externalId: 'v1', videoUrl: 'data:video/mp4;base64,AAAA' }, 'video')).rejects.toThrow(/data: is not http\(s\)/);
  });
});
