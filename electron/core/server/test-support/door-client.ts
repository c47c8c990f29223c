// Test-side helpers for the door tests: a real `ws` client that queues what the server sends,
// and a door started on a free loopback port with small stub handlers.
import { request } from 'node:http';
import { Readable } from 'node:stream';
import WebSocket, { type ClientOptions } from 'ws';
import { AppError } from '@shared/contract/errors';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { silentLogger } from '../../log';
import { createTokenIssuer, type TokenIssuer } from '../auth';
import type { HandlerMap, Hub, MediaSource } from '../door-types';
import { createHub } from '../hub';
import { createRouter, type Router } from '../router';
import { startWsDoor, type WsDoor, type WsDoorOptions } from '../ws-door';

export interface TestClient {
  ws: WebSocket;
  /** The next server message (waits for it). */
  next(): Promise<ServerEnvelope>;
  /** Sends a value as one JSON text frame (strings are sent raw). */
  send(frame: unknown): void;
  /** Sends, then waits for the next message. */
  ask(frame: unknown): Promise<ServerEnvelope>;
  /** Resolves with the close code once the socket is closed. */
  closed: Promise<number>;
}

export async function connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const ws = new WebSocket(url, options);
  const inbox: ServerEnvelope[] = [];
  const waiting: ((m: ServerEnvelope) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ServerEnvelope;
    const w = waiting.shift();
    if (w) w(msg);
    else inbox.push(msg);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () => {
    const m = inbox.shift();
    return m ? Promise.resolve(m) : new Promise<ServerEnvelope>((resolve) => waiting.push(resolve));
  };
  const send = (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return { ws, next, send, ask: (frame) => (send(frame), next()), closed };
}

/** A raw HTTP request with whatever headers the test wants (Host and Upgrade included). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; upgraded: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: !('Host' in headers) });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', upgraded: true });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), upgraded: false }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const upgradeHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  ...extra,
});

export function sampleView(videoId: string, over: Partial<TaskView> = {}): TaskView {
  return {
    videoId, externalId: null, providerId: 'demo', status: 'PROCESSING', progress: 40, prompt: 'a cat on a boat',
    model: null, seconds: null, size: null, videoUrl: null, localPath: null, thumbnailUrl: null, error: null,
    errorCode: null, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    completedAt: null, expiresAt: null, remixOf: null, progressHistory: [], etaAt: null, etaBasis: null, queuePosition: null, ...over,
  };
}

/** Ten bytes of "media": enough to check Range handling end to end. */
export const MEDIA_BYTES = Buffer.from('0123456789');

export const stubMedia: MediaSource = {
  async open(videoId, _variant, range) {
    if (videoId === 'vid-upstream-down') throw new AppError('UPSTREAM_ERROR', 'upstream answered 503', videoId);
    if (videoId === 'vid-bug') throw new Error('media source bug');
    if (videoId !== 'vid-1') throw new AppError('NOT_FOUND', `no media for ${videoId}`, videoId);
    const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (!m) {
      const headers: Record<string, string> = { 'Content-Security-Policy': 'default-src *', 'Content-Type': 'video/mp4', 'Content-Length': String(MEDIA_BYTES.length), 'Accept-Ranges': 'bytes' };
      return { status: 200, headers, body: Readable.from([MEDIA_BYTES]) };
    }
    const start = Number(m[1]);
    const end = m[2] ? Number(m[2]) : MEDIA_BYTES.length - 1;
    return {
      status: 206,
      headers: { 'Content-Type': 'video/mp4', 'Content-Range': `bytes ${start}-${end}/${MEDIA_BYTES.length}`, 'Content-Length': String(end - start + 1) },
      body: Readable.from([MEDIA_BYTES.subarray(start, end + 1)]),
    };
  },
};

export interface TestDoor {
  door: WsDoor;
  hub: Hub;
  router: Router;
  tokens: TokenIssuer;
  token: string;
  views: Map<string, TaskView>;
  /** A connected client that has already authenticated. */
  authed(): Promise<TestClient>;
}

export async function startTestDoor(over: Partial<WsDoorOptions> & { handlers?: HandlerMap; tokens?: TokenIssuer; rendererDir?: string | null } = {}): Promise<TestDoor> {
  const tokens = over.tokens ?? createTokenIssuer();
  const hub = createHub();
  const views = new Map<string, TaskView>();
  const router = createRouter({ handlers: over.handlers ?? {}, hub, tokens, logger: silentLogger, getTaskView: (id) => views.get(id) });
  const { handlers: _h, tokens: _t, rendererDir = null, ...doorOpts } = over;
  const door = await startWsDoor({
    port: 0, router, hub, logger: silentLogger, http: { rendererDir, media: stubMedia, tokens }, ...doorOpts,
  });
  const token = await tokens.issue();
  const authed = async () => {
    const c = await connect(door.wsUrl);
    const reply = await c.ask({ type: 'auth', payload: { token } });
    if (reply.type !== 'authenticated') throw new Error(`auth failed: ${JSON.stringify(reply)}`);
    return c;
  };
  return { door, hub, router, tokens, token, views, authed };
}
