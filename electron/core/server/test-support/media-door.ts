// For the door tests: one world both doors (GET /media on the HTTP door, app:// in the desktop shell)
// are asked about. A real UI folder with a symlink leading out of it, a real library file, and a real
// upstream on 127.0.0.1 that answers hostile headers, 503, 429 or 404, reached through the real
// library and upstream media sources and the real provider client.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { createLibraryMediaSource } from '../../library/library-media';
import { createProviderClient } from '../../providers/create-provider-client';
import type { ProviderConnection } from '../../providers/provider-client';
import { createUpstreamMediaSource } from '../../tasks/media';
import type { TaskRecord } from '../../tasks/record';
import type { MediaSource } from '../door-types';

/** What the kept library file holds: ten bytes, enough to check ranges end to end. */
export const KEPT_BYTES = Buffer.from('0123456789');
/** A file beside the UI folder that nothing may serve. */
export const OUTSIDE_SECRET = 'OUTSIDE-THE-UI-FOLDER';
/** What the hostile upstream sends as the "video": a page that would run in the app's origin. */
export const HOSTILE_BODY = '<!doctype html><script>parent.postMessage(document.cookie, "*")</script>';

/** Headers a hostile upstream sends with its "video"; none may reach the app's origin. */
export const HOSTILE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Set-Cookie': 'sid=stolen; Path=/',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Credentials': 'true',
  Refresh: '0; url=https://evil.example/',
  'X-Frame-Options': 'ALLOWALL',
  Link: '<https://evil.example/x.js>; rel=preload; as=script',
};
/** The hostile headers other than Content-Type, as lower-case names. */
export const HOSTILE_HEADER_NAMES = Object.keys(HOSTILE_HEADERS).filter((h) => h !== 'Content-Type').map((h) => h.toLowerCase());

export interface MediaWorld {
  /** The built UI: index.html, assets/app.js, and assets/leak.txt, a symlink to a file outside it. */
  rendererDir: string;
  media: MediaSource;
  /** The upstream's requests, as "METHOD /path". */
  upstreamLog: string[];
  close(): Promise<void>;
}

function record(videoId: string, over: Partial<TaskRecord>): TaskRecord {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    videoId, externalId: null, providerId: 'up', status: 'COMPLETED', progress: 100, prompt: 'a cat', model: null,
    seconds: null, size: null, videoUrl: null, localPath: null, thumbnailUrl: null, error: null, errorCode: null,
    createdAt: at, updatedAt: at, completedAt: at, expiresAt: null, remixOf: null, submitState: 'accepted',
    submitStartedAt: null, inputReference: null, notFoundCount: 0, faultCount: 0, userId: 'local', ...over,
  };
}

/** An openai-dialect upstream whose content endpoint misbehaves by job id. */
async function startMisbehavingUpstream(log: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    log.push(`${req.method} ${url.pathname}`);
    const id = /^\/v1\/videos\/([^/]+)\/content$/.exec(url.pathname)?.[1];
    if (id === 'video_hostile') {
      res.writeHead(200, { ...HOSTILE_HEADERS, 'Content-Length': String(Buffer.byteLength(HOSTILE_BODY)) });
      return res.end(HOSTILE_BODY);
    }
    if (id === 'video_down') {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'upstream is down' } }));
    }
    if (id === 'video_busy') {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '7' });
      return res.end(JSON.stringify({ error: { message: 'slow down' } }));
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'no such video' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function openMediaWorld(): Promise<MediaWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-media-world-'));
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>SoraDesk UI</title><div id="root"></div>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(dir, 'outside-secret.txt'), OUTSIDE_SECRET);
  // A link inside the UI folder that leads out of it (a planted or mistaken symlink).
  fs.symlinkSync(path.join(dir, 'outside-secret.txt'), path.join(rendererDir, 'assets', 'leak.txt'));
  fs.symlinkSync(dir, path.join(rendererDir, 'up'));

  const library = path.join(dir, 'videos');
  fs.mkdirSync(library);
  fs.writeFileSync(path.join(library, 'kept.mp4'), KEPT_BYTES);

  const upstreamLog: string[] = [];
  const upstream = await startMisbehavingUpstream(upstreamLog);
  const conn: ProviderConnection = { dialect: 'openai', baseUrl: upstream.url, apiKey: null };
  const tasks = new Map<string, TaskRecord>([
    ['kept', record('kept', { externalId: 'video_kept', localPath: path.join(library, 'kept.mp4') })],
    // Kept once, deleted by the user since, and gone upstream too.
    ['gone', record('gone', { externalId: 'video_gone', localPath: path.join(library, 'gone.mp4') })],
    ['hostile', record('hostile', { externalId: 'video_hostile' })],
    ['down', record('down', { externalId: 'video_down' })],
    ['busy', record('busy', { externalId: 'video_busy' })],
    ['running', record('running', { status: 'PROCESSING', progress: 40, externalId: 'video_running', completedAt: null })],
  ]);
  const store = { get: (videoId: string) => tasks.get(videoId) };
  const media = createLibraryMediaSource({
    store,
    upstream: createUpstreamMediaSource({ store, service: { clientForProvider: async () => ({ client: createProviderClient(conn), conn }) } }),
  });
  return {
    rendererDir,
    media,
    upstreamLog,
    async close() {
      await upstream.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request both doors get, and what each must answer. Paths are the door's own (no token). */
export interface DoorCase {
  name: string;
  path: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  status: number;
  /** Headers the answer must carry with exactly these values (lower-case names). */
  expectHeaders?: Record<string, string>;
  body?: string;
  bodyIncludes?: string;
  /** Text the answer must never contain. */
  never?: string;
}

/** What a door answered, in one shape for both doors. */
export interface DoorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const LEN = String(KEPT_BYTES.length);
const SECRET = { never: OUTSIDE_SECRET };

export const DOOR_CASES: DoorCase[] = [
  { name: 'a kept video, whole', path: '/media/kept?variant=video', status: 200, body: '0123456789',
    expectHeaders: { 'content-type': 'video/mp4', 'content-length': LEN, 'accept-ranges': 'bytes', 'cache-control': 'no-store' } },
  { name: 'one range of a kept video', path: '/media/kept?variant=video', headers: { Range: 'bytes=2-5' }, status: 206, body: '2345',
    expectHeaders: { 'content-range': `bytes 2-5/${LEN}`, 'content-length': '4', 'accept-ranges': 'bytes' } },
  { name: 'the last bytes (suffix range)', path: '/media/kept', headers: { Range: 'bytes=-3' }, status: 206, body: '789',
    expectHeaders: { 'content-range': `bytes 7-9/${LEN}` } },
  { name: 'a range past the end', path: '/media/kept', headers: { Range: `bytes=${LEN}-` }, status: 416, body: '',
    expectHeaders: { 'content-range': `bytes */${LEN}` } },
  { name: 'several ranges: the whole file', path: '/media/kept', headers: { Range: 'bytes=0-1,4-5' }, status: 200, body: '0123456789' },
  { name: 'HEAD of a kept video', path: '/media/kept', method: 'HEAD', status: 200, body: '', expectHeaders: { 'content-length': LEN } },
  { name: 'a task that does not exist', path: '/media/nope', status: 404 },
  { name: 'a task not finished yet', path: '/media/running', status: 404 },
  { name: 'a kept file the user deleted, gone upstream too', path: '/media/gone', status: 404 },
  { name: 'a thumbnail neither kept nor upstream', path: '/media/kept?variant=thumbnail', status: 404 },
  { name: 'an unknown variant', path: '/media/kept?variant=poster', status: 400 },
  { name: 'a video id that is not valid percent-encoding', path: '/media/%E0%A4%A', status: 400 },
  { name: 'the upstream fails (503)', path: '/media/down', status: 502, bodyIncludes: 'upstream is down' },
  { name: 'the upstream rate-limits (429)', path: '/media/busy', status: 429 },
  { name: 'a hostile upstream: its bytes as video, none of its headers', path: '/media/hostile?variant=video', status: 200,
    body: HOSTILE_BODY, expectHeaders: { 'content-type': 'video/mp4', 'content-length': String(Buffer.byteLength(HOSTILE_BODY)) } },
  { name: 'a hostile upstream thumbnail', path: '/media/hostile?variant=thumbnail', status: 200, expectHeaders: { 'content-type': 'image/jpeg' } },
  { name: 'the UI', path: '/', status: 200, bodyIncludes: 'SoraDesk UI', expectHeaders: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } },
  { name: 'a UI asset', path: '/assets/app.js', status: 200, body: 'console.log("app")',
    expectHeaders: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' } },
  { name: 'a UI route (no extension): index.html', path: '/tasks/abc', status: 200, bodyIncludes: 'SoraDesk UI' },
  { name: 'a missing UI file', path: '/assets/missing.js', status: 404 },
  { name: 'traversal with an encoded slash', path: '/..%2foutside-secret.txt', status: 404, ...SECRET },
  { name: 'traversal from a subfolder', path: '/assets/..%2f..%2foutside-secret.txt', status: 404, ...SECRET },
  { name: 'traversal with encoded dots', path: '/%2e%2e/outside-secret.txt', status: 404, ...SECRET },
  { name: 'traversal with a backslash', path: '/..%5coutside-secret.txt', status: 404, ...SECRET },
  { name: 'a symlink to a file outside the UI folder', path: '/assets/leak.txt', status: 404, ...SECRET },
  { name: 'a symlinked folder leading out of the UI folder', path: '/up/outside-secret.txt', status: 404, ...SECRET },
  { name: 'a NUL in the path', path: '/index.html%00.js', status: 400 },
  { name: 'a method other than GET and HEAD', path: '/media/kept', method: 'POST', status: 405, expectHeaders: { allow: 'GET, HEAD' } },
];

/** Checks one door's answer to one case; each door's test checks its own CSP besides. */
export function expectDoorAnswer(c: DoorCase, got: DoorAnswer): void {
  expect(got.status, `${c.name}: status`).toBe(c.status);
  for (const [name, value] of Object.entries(c.expectHeaders ?? {})) expect(got.headers[name], `${c.name}: ${name}`).toBe(value);
  if (c.body !== undefined) expect(got.body, `${c.name}: body`).toBe(c.body);
  if (c.bodyIncludes !== undefined) expect(got.body, `${c.name}: body`).toContain(c.bodyIncludes);
  if (c.never !== undefined) expect(got.body, `${c.name}: body`).not.toContain(c.never);
  expect(got.headers['x-content-type-options'], `${c.name}: nosniff`).toBe('nosniff');
  // Nothing an upstream says about cookies, CORS or navigation, on any answer.
  expect(HOSTILE_HEADER_NAMES.filter((h) => got.headers[h] !== undefined), `${c.name}: foreign headers`).toEqual([]);
}

/** A video far larger than memory should hold, made as it is read: how much was made, and was it let go? */
export function endlessVideo(): { media: MediaSource; produced(): number; destroyed(): boolean } {
  let produced = 0;
  let body: Readable | null = null;
  const chunk = Buffer.alloc(64 * 1024, 7);
  return {
    media: {
      async open() {
        body = new Readable({
          read() {
            produced += chunk.length;
            this.push(produced > 1024 * 1024 * 1024 ? null : chunk);
          },
        });
        return { status: 200, headers: { 'Content-Type': 'video/mp4' }, body };
      },
    },
    produced: () => produced,
    destroyed: () => body?.destroyed ?? false,
  };
}

/** Waits (real time) until `value` stops changing for a while: the stream has filled its buffers. */
export async function settled(value: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  while (same < 10) {
    await new Promise((r) => setTimeout(r, 10));
    const now = value();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** A request to the HTTP door with any method and headers (the Host is the door's own). */
export function askHttpDoor(port: number, pathAndQuery: string, method = 'GET', headers: Record<string, string> = {}): Promise<DoorAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A Response (the desktop door's answer) in the shape of DoorAnswer. */
export async function readResponse(res: Response): Promise<DoorAnswer> {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, headers, body: await res.text() };
}
