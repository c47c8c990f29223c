// For the door tests: one world both doors (GET /media on the HTTP door, app:// in the desktop shell)
// are asked about. A real UI folder with a symlink leading out of it, a real library file, and a real
// upstream on 127.0.0.1 that answers hostile headers, 503, 429 or 404, reached through the real
// library and upstream media sources and the real provider client.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLibraryMediaSource } from '../library/library-media';
import { createProviderClient } from '../providers/create-provider-client';
import type { ProviderConnection } from '../providers/provider-client';
import { createUpstreamMediaSource } from '../tasks/media';
import type { TaskRecord } from '../tasks/record';
import type { MediaSource } from './door-types';

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
