// Plain HTTP on the door's port: the built UI (browser mode) and the media route for its player, both
// answered by the handler the desktop's app:// uses too (static-and-media.ts). This file only checks
// the Host (DNS-rebinding guard), answers /ws without an upgrade, and adapts Node's request and
// response to the handler's Request and Response, streaming the body with back-pressure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from '../log';
import type { TokenIssuer } from './auth';
import type { MediaSource } from './door-types';
import { createStaticAndMediaHandler } from './static-and-media';

export interface HttpRoutesOptions {
  /** The door's port, known only once it listens. */
  port: () => number;
  rendererDir: string | null;
  media: MediaSource;
  tokens: Pick<TokenIssuer, 'verify'>;
  logger: Logger;
}

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

/** The headers the handler reads; nothing else of the client's request is passed on. */
const FORWARDED_HEADERS = ['range', 'authorization'] as const;

export function createHttpRoutes(opts: HttpRoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const securityHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': contentSecurityPolicy(opts.port()),
    'X-Content-Type-Options': 'nosniff',
    // The media URL may carry the token: never leak it to another site through Referer.
    'Referrer-Policy': 'no-referrer',
  });
  const handle = createStaticAndMediaHandler({
    rendererDir: opts.rendererDir,
    media: opts.media,
    securityHeaders,
    logger: opts.logger,
    async authorizeMedia(request, url) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      const token = bearer ?? url.searchParams.get('token') ?? '';
      return token !== '' && (await opts.tokens.verify(token)) !== null;
    },
  });

  const sendText = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(res.req.method === 'HEAD' ? undefined : text);
  };

  const send = async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const request = new Request(`http://127.0.0.1:${opts.port()}${req.url}`, { method: req.method, headers });
    const response = await handle(request);
    const body = response.body as WebReadableStream<Uint8Array> | null;
    // The client may have gone while the source was being opened: let the source go too.
    if (res.destroyed) return void (await body?.cancel());
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    res.writeHead(response.status, out);
    if (!body || req.method === 'HEAD') {
      await body?.cancel();
      return void res.end();
    }
    // Chunk by chunk as the client reads; a client that goes away cancels the source (file or upstream).
    await pipeline(Readable.fromWeb(body), res);
  };

  return (req, res) => {
    const port = opts.port();
    if (!isAllowedHost(req.headers.host, port)) return sendText(res, 403, 'forbidden host');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (!rawPath.startsWith('/')) return sendText(res, 400, 'bad request target');
    if (rawPath === '/ws' && (req.method === 'GET' || req.method === 'HEAD')) {
      return sendText(res, 426, 'this is the WebSocket endpoint: connect with Upgrade');
    }
    send(req, res).catch((err: unknown) => {
      // A client that goes away mid-stream is normal; anything else is ours to log.
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (code !== 'ERR_STREAM_PREMATURE_CLOSE' && code !== 'ABORT_ERR') opts.logger.warn('http request failed', { path: rawPath, err });
      if (!res.headersSent) sendText(res, 500, 'internal error (see log)');
      else res.destroy();
    });
  };
}
