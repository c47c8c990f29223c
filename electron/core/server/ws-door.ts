// The WebSocket door: one loopback HTTP server carrying /ws (for the browser UI and local
// scripts) and the HTTP routes. It checks Host and Origin before any upgrade, enforces the
// auth deadline, frame size, heartbeat and back-pressure, and hands text frames to the router.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { MAX_FRAME_BYTES } from '@shared/contract/messages';
import type { Logger } from '../log';
import type { TokenIssuer } from './auth';
import type { Connection, Hub, MediaSource } from './door-types';
import { createHttpRoutes, isAllowedHost } from './http-routes';
import { CLOSE_AUTH_TIMEOUT, CLOSE_UNAUTHORIZED, type Router } from './router';

export interface WsDoorOptions {
  host?: '127.0.0.1';
  /** 0 picks a free port. */
  port: number;
  router: Router;
  hub: Hub;
  /** Origins allowed besides the door's own (e.g. the desktop renderer's). */
  allowedOrigins?: string[];
  logger: Logger;
  http: { rendererDir: string | null; media: MediaSource; tokens: Pick<TokenIssuer, 'verify'> };
  heartbeatMs?: number;
  authTimeoutMs?: number;
  maxBufferedBytes?: number;
}

export interface WsDoor {
  readonly port: number;
  readonly wsUrl: string;
  readonly httpUrl: string;
  close(): Promise<void>;
}

const CLOSE_GOING_AWAY = 1001;

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
}

export async function startWsDoor(opts: WsDoorOptions): Promise<WsDoor> {
  const host = opts.host ?? '127.0.0.1';
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const authTimeoutMs = opts.authTimeoutMs ?? 10_000;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 16 * 1024 * 1024;
  const { router, hub, logger } = opts;
  let port = 0;

  const server = createServer(createHttpRoutes({ port: () => port, ...opts.http, logger }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const alive = new WeakMap<WebSocket, boolean>();

  const originAllowed = (origin: string | undefined): boolean => {
    if (origin === undefined) return true; // a script, not a browser page
    const own = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...(opts.allowedOrigins ?? []).map((o) => o.toLowerCase())];
    return own.includes(origin.toLowerCase());
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = (req.url ?? '').split('?')[0];
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!originAllowed(req.headers.origin)) {
      logger.warn('websocket origin refused', { origin: req.headers.origin });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req.socket.remoteAddress ?? 'unknown'));
  });

  const accept = (ws: WebSocket, source: string) => {
    const conn: Connection = {
      id: randomUUID(),
      door: 'ws',
      source,
      userId: null,
      send(msg) {
        if (ws.readyState !== WebSocket.OPEN) return;
        // A reader that does not keep up is dropped rather than let memory grow without bound.
        if (ws.bufferedAmount > maxBufferedBytes) {
          logger.warn('websocket reader too slow, dropping it', { connId: conn.id, bufferedAmount: ws.bufferedAmount });
          ws.terminate();
          return;
        }
        ws.send(serialise(msg));
      },
    };
    hub.add(conn);
    alive.set(ws, true);
    const authTimer = setTimeout(() => {
      if (conn.userId === null && ws.readyState === WebSocket.OPEN) ws.close(CLOSE_AUTH_TIMEOUT, 'auth timeout');
    }, authTimeoutMs);
    authTimer.unref();
    logger.debug('websocket connected', { connId: conn.id });

    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const frame = isBinary ? toBuffer(data) : toBuffer(data).toString('utf8');
      router.dispatch(conn, frame).then((outcome) => {
        if (outcome === 'close-unauthorized' && ws.readyState === WebSocket.OPEN) ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        else if (conn.userId !== null) clearTimeout(authTimer);
      }, (err: unknown) => logger.error('websocket dispatch failed', { connId: conn.id, err }));
    });
    ws.on('error', (err) => logger.debug('websocket error', { connId: conn.id, err }));
    ws.on('close', (code) => {
      clearTimeout(authTimer);
      hub.drop(conn);
      logger.debug('websocket closed', { connId: conn.id, code });
    });
  };

  // A peer that has not answered the previous ping by the next one is gone.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        logger.info('websocket peer missed a heartbeat, terminating');
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (err) => logger.error('door server error', { err }));
  logger.info('door listening', { host, port });

  let closing: Promise<void> | null = null;
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    httpUrl: `http://127.0.0.1:${port}/`,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'service stopping');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        // Give peers a moment to answer the close frame, then cut whatever is left.
        await new Promise((r) => setTimeout(r, 50).unref());
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await closed;
      })();
      return closing;
    },
  };
}

// A push goes to many sockets as the same object: stringify it once.
const serialised = new WeakMap<object, string>();
function serialise(msg: object): string {
  let text = serialised.get(msg);
  if (text === undefined) serialised.set(msg, (text = JSON.stringify(msg)));
  return text;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
