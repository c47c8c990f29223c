// The one handler behind both media doors: GET /media and the UI's files on the HTTP door (npm run
// serve), and app://soradesk/ in the desktop shell. Web Fetch Request -> Response, so the shell hands
// it to Electron's protocol.handle as is and the HTTP door adapts Node's request and response to it.
// One MIME table, one Range reading, one answer for a path outside the UI folder, one error mapping.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError, type ErrorCode } from '@shared/contract/errors';
import type { Logger } from '../log';
import type { MediaSource } from './door-types';
import { contentTypeFor, openFileAnswer, type FileAnswer } from './file-answer';

export interface StaticAndMediaOptions {
  /** The built UI (out/renderer); null, or a folder without index.html: a page saying it is not built yet. */
  rendererDir: string | null;
  /** The core's media (library file first, then the upstream); absent: /media answers 404. */
  media: MediaSource | undefined;
  /** The door's own headers (CSP, nosniff, ...), on every answer and over anything a source says. */
  securityHeaders: () => Record<string, string>;
  /** May this request read media? The HTTP door wants the token; app:// is the app's own origin. */
  authorizeMedia?: (request: Request, url: URL) => Promise<boolean>;
  /** Is this URL the door's own (app://soradesk)? Anything else is 404. Default: every URL. */
  ownsUrl?: (url: URL) => boolean;
  logger: Logger;
}

export type FetchHandler = (request: Request) => Promise<Response>;

/** How a media source's AppError shows to the player (its message is safe to show). */
const MEDIA_ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404, BAD_REQUEST: 400, UPSTREAM_ERROR: 502, UPSTREAM_UNAUTHORIZED: 502,
  RATE_LIMITED: 429, KEYCHAIN_UNAVAILABLE: 503, CONFLICT: 409,
};

const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SoraDesk</title></head>
<body><h1>SoraDesk</h1>
<p>The UI is not built yet. Run <code>npm run build</code>, then restart the service.</p>
<p>The WebSocket API at <code>/ws</code> works already (see docs/protocol.md).</p>
</body></html>
`;

/** Media types a player may get; anything else (text/html, image/svg+xml, none) becomes the variant's default. */
const VIDEO_TYPE = /^video\/[a-z0-9][a-z0-9.+-]*$/;
const IMAGE_TYPE = /^image\/(?!svg\+xml$)[a-z0-9][a-z0-9.+-]*$/;
const DEFAULT_TYPE = { video: 'video/mp4', thumbnail: 'image/jpeg' } as const;

const headerOf = (headers: Record<string, string>, name: string): string | undefined => {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return String(v).trim();
  return undefined;
};

/**
 * What of a media answer reaches the app's origin: a video/* or image/* type, the lengths and ranges
 * (when well-formed), nothing else. Cookies, CORS grants, Refresh, Link and the like from an upstream stay out.
 */
export function mediaHeaders(source: Record<string, string>, variant: 'video' | 'thumbnail'): Record<string, string> {
  const essence = headerOf(source, 'content-type')?.split(';')[0].trim().toLowerCase() ?? '';
  const type = (variant === 'video' ? VIDEO_TYPE : IMAGE_TYPE).test(essence) ? essence : DEFAULT_TYPE[variant];
  const out: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-store' };
  const length = headerOf(source, 'content-length');
  if (length && /^\d+$/.test(length)) out['Content-Length'] = length;
  const range = headerOf(source, 'content-range');
  if (range && /^bytes (\d+-\d+|\*)\/(\d+|\*)$/.test(range)) out['Content-Range'] = range;
  const accept = headerOf(source, 'accept-ranges');
  if (accept === 'bytes' || accept === 'none') out['Accept-Ranges'] = accept;
  return out;
}

const isInside = (root: string, file: string) => file === root || file.startsWith(root + path.sep);
const realpathOrNull = (p: string) => fsp.realpath(p).catch(() => null);

/**
 * The real path of `rel` under the real `root`: 'outside' when the path leaves it, 'link-outside' when
 * a symlink on the way leads out of it, null when nothing is there.
 */
async function locate(root: string, rel: string): Promise<string | 'outside' | 'link-outside' | null> {
  const wanted = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (!isInside(root, wanted)) return 'outside';
  const real = await realpathOrNull(wanted);
  if (real === null) return null;
  return isInside(root, real) ? real : 'link-outside';
}

export function createStaticAndMediaHandler(opts: StaticAndMediaOptions): FetchHandler {
  const { logger } = opts;

  const respond = (request: Request, status: number, headers: Record<string, string>, body: FileAnswer['body'] | string | null): Response => {
    const all = { ...headers, ...opts.securityHeaders() };
    if (request.method === 'HEAD' || body === null) {
      if (body !== null && typeof body !== 'string') (body as Readable).destroy();
      return new Response(null, { status, headers: all });
    }
    return new Response(typeof body === 'string' ? body : (Readable.toWeb(body as Readable) as ReadableStream<Uint8Array>), { status, headers: all });
  };
  const text = (request: Request, status: number, message: string, extra: Record<string, string> = {}) =>
    respond(request, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra }, message);

  async function serveStatic(request: Request, rawPath: string): Promise<Response> {
    // Compared after resolving links, so a symlink in the UI folder cannot lead out of it.
    const root = opts.rendererDir ? await realpathOrNull(path.resolve(opts.rendererDir)) : null;
    const index = root ? await locate(root, 'index.html') : null;
    if (!root || typeof index !== 'string') {
      return respond(request, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, PLACEHOLDER_PAGE);
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return text(request, 400, 'bad path encoding');
    }
    if (decoded.includes('\0')) return text(request, 400, 'bad path');
    const name = decoded === '/' ? 'index.html' : decoded;
    const found = await locate(root, name);
    // Outside the folder (../, encoded or not, or a link leading out) is answered like a missing file.
    if (found === 'link-outside') logger.warn('refused a UI path whose symlink leads out of the UI folder', { path: decoded });
    if (found === 'outside' || found === 'link-outside') return text(request, 404, 'not found');
    const file = found ? await openFileAnswer(found, contentTypeFor(name), request.headers.get('range') ?? undefined) : null;
    if (file) {
      const cache = path.posix.basename(name) === 'index.html' ? 'no-cache' : 'public, max-age=3600';
      return respond(request, file.status, { ...file.headers, 'Cache-Control': cache }, file.body);
    }
    // A path that names a file (has an extension) is missing; anything else is a UI route.
    const page = path.posix.extname(decoded) === '' ? await openFileAnswer(index, contentTypeFor('index.html'), undefined) : null;
    if (!page) return text(request, 404, 'not found');
    return respond(request, page.status, { ...page.headers, 'Cache-Control': 'no-cache' }, page.body);
  }

  async function serveMedia(request: Request, url: URL, rawId: string): Promise<Response> {
    if (opts.authorizeMedia && !(await opts.authorizeMedia(request, url))) return text(request, 401, 'a valid token is required');
    const variant = url.searchParams.get('variant') ?? 'video';
    if (variant !== 'video' && variant !== 'thumbnail') return text(request, 400, 'variant must be video or thumbnail');
    let videoId: string;
    try {
      videoId = decodeURIComponent(rawId);
    } catch {
      return text(request, 400, 'bad video id');
    }
    if (!opts.media) return text(request, 404, 'no media library');
    let answer: FileAnswer;
    try {
      answer = await opts.media.open(videoId, variant, request.headers.get('range') ?? undefined);
    } catch (err) {
      const status = err instanceof AppError ? MEDIA_ERROR_STATUS[err.code] : undefined;
      if (err instanceof AppError && status) {
        logger.debug('media request refused', { videoId, variant, code: err.code });
        return text(request, status, err.message);
      }
      logger.error('media request failed', { videoId, variant, err });
      return text(request, 500, 'internal error (see log)');
    }
    // Sources answer 2xx or 416 and throw the rest; a stray status is the source's failure, not a page.
    const status = answer.status === 206 || answer.status === 416 ? answer.status : answer.status >= 200 && answer.status < 300 ? 200 : null;
    if (status === null) {
      (answer.body as Readable).destroy();
      logger.warn('media source answered an unexpected status', { videoId, variant, status: answer.status });
      return text(request, 502, `the media source answered HTTP ${answer.status}`);
    }
    return respond(request, status, mediaHeaders(answer.headers, variant), answer.body);
  }

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(request, 400, 'bad url');
    }
    if (opts.ownsUrl && !opts.ownsUrl(url)) return text(request, 404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(request, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const media = /^\/media\/([^/]+)$/.exec(url.pathname);
    return media ? serveMedia(request, url, media[1]) : serveStatic(request, url.pathname);
  };
}
