import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { createProviderClient } from './create-provider-client';
import { formOf, sendJson, startRecordingUpstream, type RecordingUpstream } from './test-support/recording-upstream';

const KEY = 'test-key-0123456789abcdef';
let up: RecordingUpstream;
beforeEach(async () => { up = await startRecordingUpstream(); });
afterEach(async () => { await up.close(); });

const client = () => createProviderClient({ dialect: 'openai', baseUrl: up.url, apiKey: KEY });
const video = (over: Record<string, unknown> = {}) => ({
  id: 'video_1', object: 'video', model: 'sora-2', status: 'queued', progress: 0, created_at: 1712697600,
  completed_at: null, expires_at: null, prompt: 'a red fox', size: '720x1280', seconds: '8', remixed_from_video_id: null, error: null, ...over,
});

describe('openai dialect', () => {
  it('creates as JSON with a Bearer key and seconds as a string', async () => {
    up.handle((_req, res) => sendJson(res, 200, video(), { 'openai-poll-after-ms': '2500' }));
    const job = await client().create({ prompt: 'a red fox', seconds: '8', size: '720x1280', inputReference: 'https://127.0.0.1/ref.png' });
    const req = up.requests[0];
    expect(req.url).toBe('/v1/videos');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(req.body.toString())).toEqual({ prompt: 'a red fox', seconds: '8', size: '720x1280', input_reference: { image_url: 'https://127.0.0.1/ref.png' } });
    expect(job).toMatchObject({ externalId: 'video_1', status: 'QUEUED', seconds: '8', createdAt: 1712697600_000, pollAfterMs: 2500 });
  });

  it('sends a file id as JSON input_reference', async () => {
    up.handle((_req, res) => sendJson(res, 200, video()));
    await client().create({ prompt: 'p', inputReference: { fileId: 'file-123' } });
    expect(JSON.parse(up.requests[0].body.toString()).input_reference).toEqual({ file_id: 'file-123' });
  });

  it('uploads a data URL reference as a multipart file part', async () => {
    up.handle((_req, res) => sendJson(res, 200, video()));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
    await client().create({ prompt: 'a red fox', model: 'sora-2', seconds: '4', inputReference: { imageUrl: `data:image/png;base64,${png.toString('base64')}`, fileName: 'fox.png' } });
    const req = up.requests[0];
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(req);
    expect(form.get('prompt')).toBe('a red fox');
    expect(form.get('model')).toBe('sora-2');
    expect(form.get('seconds')).toBe('4');
    const file = form.get('input_reference') as File;
    expect(file.name).toBe('fox.png');
    expect(file.type).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
  });

  it('rejects a reference that is neither URL nor file id, sending nothing', async () => {
    await expect(client().create({ prompt: 'p', inputReference: 'ref.png' })).rejects.toMatchObject({ code: 'BAD_REQUEST', reached: 'no' });
    expect(up.requests).toHaveLength(0);
  });

  it('retrieves a failed job with an {code, message} error', async () => {
    up.handle((_req, res) => sendJson(res, 200, video({ status: 'failed', error: { code: 'moderation_blocked', message: 'blocked' } })));
    const job = await client().retrieve('video_1');
    expect(up.requests[0].url).toBe('/v1/videos/video_1');
    expect(job).toMatchObject({ status: 'FAILED', error: 'blocked', errorCode: 'moderation_blocked' });
  });

  it('lists newest first with limit and after', async () => {
    up.handle((_req, res) => sendJson(res, 200, { object: 'list', data: [video({ id: 'video_3' }), video({ id: 'video_2' })], first_id: 'video_3', last_id: 'video_2', has_more: true }));
    const page = await client().list({ limit: 2, after: 'video_4' });
    const url = new URL(up.requests[0].url, up.url);
    expect(url.pathname).toBe('/v1/videos');
    expect(Object.fromEntries(url.searchParams)).toEqual({ limit: '2', after: 'video_4', order: 'desc' });
    expect(page.jobs.map((j) => j.externalId)).toEqual(['video_3', 'video_2']);
    expect(page).toMatchObject({ hasMore: true, lastId: 'video_2' });
  });

  it('deletes and remixes', async () => {
    up.handle((req, res) => req.method === 'DELETE'
      ? sendJson(res, 200, { id: 'video_1', object: 'video.deleted', deleted: true })
      : sendJson(res, 200, video({ id: 'video_2', remixed_from_video_id: 'video_1', prompt: 'at night' })));
    await client().remove('video_1');
    const remix = await client().remix('video_1', 'at night');
    expect(up.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /v1/videos/video_1', 'POST /v1/videos/video_1/remix']);
    expect(JSON.parse(up.requests[1].body.toString())).toEqual({ prompt: 'at night' });
    expect(remix).toMatchObject({ externalId: 'video_2', remixOf: 'video_1' });
  });

  it('streams the thumbnail variant and passes Range through', async () => {
    up.handle((req, res) => {
      res.writeHead(206, { 'content-type': 'image/jpeg', 'content-range': 'bytes 0-3/10' });
      res.end('jpeg');
    });
    const got = await client().fetchContent({ externalId: 'video_1', videoUrl: null }, 'thumbnail', 'bytes=0-3');
    expect(up.requests[0].url).toBe('/v1/videos/video_1/content?variant=thumbnail');
    expect(up.requests[0].headers.range).toBe('bytes=0-3');
    expect(up.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(got.status).toBe(206);
    expect(got.headers['content-range']).toBe('bytes 0-3/10');
    const chunks: Buffer[] = [];
    for await (const c of got.body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('jpeg');
  });

  it('sends no Authorization header when no key is set', async () => {
    up.handle((_req, res) => sendJson(res, 200, video()));
    await createProviderClient({ dialect: 'openai', baseUrl: up.url, apiKey: null }).retrieve('video_1');
    expect(up.requests[0].headers.authorization).toBeUndefined();
  });

  it('keeps a path prefix in the base URL', async () => {
    up.handle((_req, res) => sendJson(res, 200, video()));
    await createProviderClient({ dialect: 'openai', baseUrl: `${up.url}/relay/`, apiKey: KEY }).retrieve('video_1');
    expect(up.requests[0].url).toBe('/relay/v1/videos/video_1');
  });

  it('fetches a relay video_url on another origin without the key', async () => {
    const cdn = await startRecordingUpstream((_req, res) => { res.writeHead(200, { 'content-type': 'video/mp4' }); res.end('cdn'); });
    try {
      const got = await client().fetchContent({ externalId: 'video_1', videoUrl: `${cdn.url.replace('127.0.0.1', 'localhost')}/v.mp4` }, 'video');
      got.body.resume();
      expect(cdn.requests[0].headers.authorization).toBeUndefined();
      expect(up.requests).toHaveLength(0);
    } finally {
      await cdn.close();
    }
  });

  it('logs requests and failures without the key', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    const c = createProviderClient({ dialect: 'openai', baseUrl: up.url, apiKey: KEY }, { logger });
    up.handle((_req, res) => sendJson(res, 200, video()));
    await c.retrieve('video_1');
    up.handle((_req, res) => sendJson(res, 401, { error: { message: `bad key ${KEY}` } }));
    await c.retrieve('video_1').catch(() => {});
    up.handle((req) => req.headers.authorization); // hangs
    await createProviderClient({ dialect: 'openai', baseUrl: up.url, apiKey: KEY, timeoutMs: 100 }, { logger }).create({ prompt: 'p' }).catch(() => {});
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});
