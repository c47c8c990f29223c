// Plain HTTP on the door's port: the built UI (browser mode) and the media route for its player.
// Everything is refused unless the Host names this very port on loopback (DNS-rebinding guard).
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { AppError, type ErrorCode } from '@shared/contract/errors';
import type { Logger } from '../log';
import type { TokenIssuer } from './auth';
import type { MediaSource } from './door-types';

export interface HttpRoutesOptions {
  /** The door's port, known only once it listens. */
  port: () => number;
  rendererDir: string | null;
  media: MediaSource;
  tokens: Pick<TokenIssuer, 'verify'>;
  logger: Logger;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm',
};

/** How a media source's AppError shows to the player (its message is safe to show). */
const MEDIA_ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404, BAD_REQUEST: 400, UPSTREAM_ERROR: 502, UPSTREAM_UNAUTHORIZED: 502,
  RATE_LIMITED: 429, KEYCHAIN_UNAVAILABLE: 503, CONFLICT: 409,
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Is this Host header exactly our loopback address and port? */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SoraDesk</title></head>
<body><h1>SoraDesk</h1>
<p>The UI is not built yet. Run <code>npm run build</code>, then restart the service.</p>
<p>The WebSocket API at <code>/ws</code> works already (see docs/protocol.md).</p>
</body></html>
`;

export function createHttpRoutes(opts: HttpRoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const root = opts.rendererDir ? path.resolve(opts.rendererDir) : null;

  const baseHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': contentSecurityPolicy(opts.port()),
    'X-Content-Type-Options': 'nosniff',
    // The media URL may carry the token: never leak it to another site through Referer.
    'Referrer-Policy': 'no-referrer',
  });
  const sendText = (res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(res.req.method === 'HEAD' ? undefined : text);
  };

  const fileStats = async (file: string): Promise<Stats | null> => {
    try {
      const s = await stat(file);
      return s.isFile() ? s : null;
    } catch {
      return null;
    }
  };

  const serveFile = async (res: ServerResponse, file: string, s: Stats) => {
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': s.size,
      'Cache-Control': path.basename(file) === 'index.html' ? 'no-cache' : 'public, max-age=3600',
    });
    if (res.req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file), res);
  };

  const serveStatic = async (res: ServerResponse, rawPath: string) => {
    const index = root ? path.join(root, 'index.html') : null;
    const indexStats = index ? await fileStats(index) : null;
    if (!root || !index || !indexStats) return sendText(res, 200, PLACEHOLDER_PAGE, 'text/html; charset=utf-8');
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return sendText(res, 400, 'bad path encoding');
    }
    if (decoded.includes('\0')) return sendText(res, 400, 'bad path');
    const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
    if (file !== root && !file.startsWith(root + path.sep)) return sendText(res, 404, 'not found');
    const s = await fileStats(file);
    if (s) return serveFile(res, file, s);
    // A path that names a file (has an extension) is missing; anything else is a UI route.
    if (path.posix.extname(decoded) !== '') return sendText(res, 404, 'not found');
    return serveFile(res, index, indexStats);
  };

  const serveMedia = async (req: IncomingMessage, res: ServerResponse, url: URL, videoIdRaw: string) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? url.searchParams.get('token') ?? '';
    if (!token || (await opts.tokens.verify(token)) === null) return sendText(res, 401, 'a valid token is required');
    const variant = url.searchParams.get('variant') ?? 'video';
    if (variant !== 'video' && variant !== 'thumbnail') return sendText(res, 400, 'variant must be video or thumbnail');
    let videoId: string;
    try {
      videoId = decodeURIComponent(videoIdRaw);
    } catch {
      return sendText(res, 400, 'bad video id');
    }
    let media: Awaited<ReturnType<MediaSource['open']>>;
    try {
      media = await opts.media.open(videoId, variant, req.headers.range);
    } catch (err) {
      const status = err instanceof AppError ? MEDIA_ERROR_STATUS[err.code] : undefined;
      if (err instanceof AppError && status) return sendText(res, status, err.message);
      opts.logger.error('media route failed', { videoId, variant, err });
      return sendText(res, 500, 'internal error (see log)');
    }
    // Our security headers win over whatever the upstream sent.
    res.writeHead(media.status, { 'Cache-Control': 'no-store', ...media.headers, ...baseHeaders() });
    if (req.method === 'HEAD') {
      (media.body as Readable).destroy?.();
      return void res.end();
    }
    await pipeline(media.body as Readable, res);
  };

  return (req, res) => {
    const port = opts.port();
    if (!isAllowedHost(req.headers.host, port)) return sendText(res, 403, 'forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    let work: Promise<void>;
    const media = /^\/media\/([^/]+)$/.exec(rawPath);
    if (media) work = serveMedia(req, res, url, media[1]!);
    else if (rawPath === '/ws') work = Promise.resolve(sendText(res, 426, 'this is the WebSocket endpoint: connect with Upgrade'));
    else work = serveStatic(res, rawPath);
    work.catch((err: unknown) => {
      // A client that goes away mid-stream is normal; anything else is ours to log.
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (code !== 'ERR_STREAM_PREMATURE_CLOSE') opts.logger.warn('http request failed', { path: rawPath, err });
      if (!res.headersSent) sendText(res, 500, 'internal error (see log)');
      else res.destroy();
    });
  };
}
