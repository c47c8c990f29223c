// app://soradesk/ serves the built renderer and the library's media, with the CSP on every answer.
// A privileged standard scheme gives the renderer a real origin (not file://), so it gets the same-origin
// rules of a web page and nothing more.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { MediaSource } from '../core/server/door-types';
import type { Logger } from '../core/log';
import { APP_CSP, APP_HOST, APP_SCHEME } from './app-origin';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.mp4': 'video/mp4', '.webm': 'video/webm',
  '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** Must run before app 'ready' (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{
    scheme: APP_SCHEME,
    // standard + secure: a real origin with localStorage and secure-context APIs; stream: <video> Range.
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
  }]);
}

function answer(status: number, body: ConstructorParameters<typeof Response>[0], headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...headers, ...SECURITY_HEADERS } });
}

const plain = (status: number, text: string) => answer(status, text, { 'Content-Type': 'text/plain; charset=utf-8' });

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The core's media source; absent: media answers 404. */
  media?: MediaSource;
  logger: Logger;
}

/** The request handler for app://, separate from Electron so it can be exercised with real Requests. */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = path.resolve(opts.rendererDir);

  const serveFile = async (pathname: string): Promise<Response> => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return plain(400, 'bad path');
    }
    if (rel.includes('\0')) return plain(400, 'bad path');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(root, `.${rel}`);
    // Refuse anything that resolves outside the renderer folder (../, encoded %2e%2e, absolute tricks).
    if (file !== root && !file.startsWith(root + path.sep)) return plain(403, 'forbidden');
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) return plain(404, 'not found');
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
      return answer(200, body, { 'Content-Type': type, 'Content-Length': String(stat.size) });
    } catch {
      return plain(404, 'not found');
    }
  };

  const serveMedia = async (request: Request, videoId: string): Promise<Response> => {
    if (!opts.media) return plain(404, 'no media library');
    const variantParam = new URL(request.url).searchParams.get('variant') ?? 'video';
    if (variantParam !== 'video' && variantParam !== 'thumbnail') return plain(400, 'variant must be video or thumbnail');
    try {
      const res = await opts.media.open(videoId, variantParam, request.headers.get('range') ?? undefined);
      const body = Readable.toWeb(res.body as Readable) as ReadableStream<Uint8Array>;
      return answer(res.status, body, res.headers);
    } catch (err) {
      opts.logger.warn('media request failed', { videoId, err });
      return plain(500, 'media unavailable');
    }
  };

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const media = /^\/media\/([^/]+)$/.exec(url.pathname);
    if (media) {
      let videoId: string;
      try {
        videoId = decodeURIComponent(media[1]);
      } catch {
        return plain(400, 'bad video id');
      }
      return serveMedia(request, videoId);
    }
    return serveFile(url.pathname);
  };
}

/** After 'ready': routes app:// through the handler. */
export function handleAppProtocol(opts: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(opts));
}
