// How upstream failures reach the task service: code, transient, reached, retryAfterMs; never the key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderClient } from './create-provider-client';
import { UpstreamError, type ProviderConnection } from './provider-client';
import { sendJson, startRecordingUpstream, type RecordingUpstream } from './test-support/recording-upstream';

const KEY = 'test-key-0123456789abcdef';
let up: RecordingUpstream;
beforeEach(async () => { up = await startRecordingUpstream(); });
afterEach(async () => { await up.close(); });

const openai = (over: Partial<ProviderConnection> = {}) => createProviderClient({ dialect: 'openai', baseUrl: up.url, apiKey: KEY, ...over });

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  const e = err as UpstreamError;
  expect(e.message).not.toContain(KEY);
  expect(JSON.stringify(e)).not.toContain(KEY);
  return e;
}

describe('upstream errors', () => {
  it.each([401, 403])('%i is UPSTREAM_UNAUTHORIZED and not transient, even when the body echoes the key', async (status) => {
    up.handle((_req, res) => sendJson(res, status, { error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' } }));
    const e = await failure(openai().retrieve('video_1'));
    expect(e).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', transient: false, reached: 'yes', httpStatus: status });
    expect(e.message).toContain('Incorrect API key provided');
  });

  it('404 is NOT_FOUND', async () => {
    up.handle((_req, res) => sendJson(res, 404, { error: { message: 'no such video' } }));
    expect(await failure(openai().retrieve('video_x'))).toMatchObject({ code: 'NOT_FOUND', transient: false });
  });

  it('429 with Retry-After in seconds', async () => {
    up.handle((_req, res) => sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '7' }));
    expect(await failure(openai().retrieve('video_1'))).toMatchObject({ code: 'RATE_LIMITED', transient: true, retryAfterMs: 7000 });
  });

  it('429 with Retry-After as an HTTP-date', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    up.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': at }));
    const e = await failure(openai().retrieve('video_1'));
    expect(e.code).toBe('RATE_LIMITED');
    // HTTP-dates have whole seconds: the wait is a little under two minutes.
    expect(e.retryAfterMs).toBeGreaterThan(100_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('caps a huge Retry-After', async () => {
    up.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': '999999' }));
    const c = createProviderClient({ dialect: 'openai', baseUrl: up.url, apiKey: KEY }, { maxRetryAfterMs: 60_000 });
    expect((await failure(c.retrieve('video_1'))).retryAfterMs).toBe(60_000);
    expect((await failure(openai().retrieve('video_1'))).retryAfterMs).toBe(600_000);
  });

  it('5xx is a transient UPSTREAM_ERROR', async () => {
    up.handle((_req, res) => { res.writeHead(502); res.end('<html>bad gateway</html>'); });
    expect(await failure(openai().retrieve('video_1'))).toMatchObject({ code: 'UPSTREAM_ERROR', transient: true, reached: 'yes', httpStatus: 502 });
  });

  it('another 4xx is final and carries the upstream message', async () => {
    up.handle((_req, res) => sendJson(res, 400, { error: { message: "Invalid value for 'seconds'", type: 'invalid_request_error' } }));
    const e = await failure(openai().create({ prompt: 'p', seconds: '5' }));
    expect(e).toMatchObject({ code: 'UPSTREAM_ERROR', transient: false, httpStatus: 400 });
    expect(e.message).toContain("Invalid value for 'seconds'");
  });

  it('a hang times out as transient with an unknown outcome', async () => {
    up.handle(() => { /* never answers */ });
    const e = await failure(openai({ timeoutMs: 300 }).create({ prompt: 'p' }));
    expect(e).toMatchObject({ code: 'UPSTREAM_ERROR', transient: true, reached: 'unknown' });
    expect(e.message).toMatch(/300 ms/);
  });

  it('a reset after sending is transient with an unknown outcome', async () => {
    up.handle((_req, res) => res.socket?.destroy());
    expect(await failure(openai().create({ prompt: 'p' }))).toMatchObject({ transient: true, reached: 'unknown' });
  });

  it.each([
    ['not JSON', (res: http.ServerResponse) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('<html>oops'); }],
    ['no id', (res: http.ServerResponse) => sendJson(res, 200, { status: 'queued' })],
    ['no status', (res: http.ServerResponse) => sendJson(res, 200, { id: 'video_1' })],
  ])('a 2xx body with %s is transient and "unparsable"', async (_what, reply) => {
    up.handle((_req, res) => reply(res));
    const e = await failure(openai().create({ prompt: 'p' }));
    expect(e).toMatchObject({ code: 'UPSTREAM_ERROR', transient: true, reached: 'yes' });
    expect(e.message).toMatch(/unparsable/);
  });

  it('a refused connection never reached the upstream', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    for (const dialect of ['openai', 'sora'] as const) {
      const c = createProviderClient({ dialect, baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY });
      expect(await failure(c.create({ prompt: 'p' }))).toMatchObject({ code: 'UPSTREAM_ERROR', transient: true, reached: 'no' });
    }
  });

  it('does not carry the key across a redirect to another origin', async () => {
    const other = await startRecordingUpstream((_req, res) => sendJson(res, 200, { id: 'video_1', status: 'completed' }));
    try {
      const elsewhere = other.url.replace('127.0.0.1', 'localhost');
      up.handle((req, res) => {
        const to = req.url.startsWith('/v1/videos/video_1/content') ? `${elsewhere}/files/v.mp4` : `${elsewhere}/v1/videos/video_1`;
        res.writeHead(302, { location: to }); res.end();
      });
      const job = await openai().retrieve('video_1');
      expect(job.status).toBe('COMPLETED');
      const content = await openai().fetchContent({ externalId: 'video_1', videoUrl: null }, 'video');
      content.body.resume();
      expect(up.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
      expect(other.requests.map((r) => r.url)).toEqual(['/v1/videos/video_1', '/files/v.mp4']);
      expect(other.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
    } finally {
      await other.close();
    }
  });

  it('keeps the key on a same-origin redirect', async () => {
    up.handle((req, res) => {
      if (req.url === '/v1/videos/video_1') { res.writeHead(307, { location: '/v2/videos/video_1' }); res.end(); return; }
      sendJson(res, 200, { id: 'video_1', status: 'in_progress', progress: 50 });
    });
    expect((await openai().retrieve('video_1')).progress).toBe(50);
    expect(up.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => createProviderClient({ dialect: 'openai', baseUrl: 'ftp://127.0.0.1', apiKey: KEY })).toThrow(/http\(s\)/);
  });
});
