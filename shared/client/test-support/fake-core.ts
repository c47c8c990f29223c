// A small real WebSocket server that speaks the contract's handshake, for the client's tests (the
// ContractClient's own, and the renderer model's). Each test scripts its replies; nothing here is a
// mock of the client under test.
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientEnvelope } from '../../contract/messages';
import { ContractClient, type ContractClientOptions } from '../contract-client';
import { createWsTransport } from '../ws-transport';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export type Reply = (type: string, payload: unknown, id?: string | number) => void;
export type Handler = (msg: ClientEnvelope, reply: Reply, push: Reply) => void;

export interface FakeCore {
  url: string;
  received: ClientEnvelope[];
  handlers: Map<string, Handler>;
  /** Sends a push to every authenticated connection. */
  push: Reply;
  /** Drops every connection abruptly, as a crashed or restarted service would. */
  dropAll(): void;
  authCount(): number;
  close(): Promise<void>;
}

/** Scripts the answers a page asks for as it starts, for a service with no tasks and no providers. */
export function answerAnEmptyService(core: FakeCore, language = 'en'): void {
  core.handlers.set('listTasks', (_m, reply) => reply('taskList', { tasks: [], nextCursor: null, total: 0 }));
  core.handlers.set('getStats', (_m, reply) => reply('stats', { total: 0, byStatus: {} }));
  core.handlers.set('listProviders', (_m, reply) => reply('providers', { providers: [] }));
  core.handlers.set('getSettings', (_m, reply) => reply('settings', { settings: { language } }));
}

export async function startFakeCore(): Promise<FakeCore> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const authed = new Set<WebSocket>();
  const received: ClientEnvelope[] = [];
  const handlers = new Map<string, Handler>();
  let auths = 0;
  const send = (ws: WebSocket, type: string, payload: unknown, id?: string | number) =>
    ws.send(JSON.stringify({ type, ...(id !== undefined ? { id } : {}), timestamp: Date.now(), payload }));
  const push: Reply = (type, payload) => {
    for (const ws of authed) send(ws, type, payload);
  };
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ClientEnvelope;
      if (!authed.has(ws)) {
        const token = (msg.payload as { token?: string } | undefined)?.token;
        if (msg.type !== 'auth' || token !== TEST_TOKEN) {
          send(ws, 'error', { code: 'UNAUTHORIZED', message: 'bad token' }, msg.id);
          ws.close(4401);
          return;
        }
        authed.add(ws);
        auths += 1;
        send(ws, 'authenticated', { user: { id: 'local' } }, msg.id);
        return;
      }
      received.push(msg);
      const handler = handlers.get(msg.type);
      if (!handler) {
        send(ws, 'error', { code: 'UNKNOWN_TYPE', message: `unknown type ${msg.type}` }, msg.id);
        return;
      }
      handler(msg, (type, payload) => send(ws, type, payload, msg.id), push);
    });
    ws.on('close', () => authed.delete(ws));
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    received,
    handlers,
    push,
    dropAll: () => {
      for (const ws of wss.clients) ws.terminate();
    },
    authCount: () => auths,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** A ContractClient over a real `ws` socket to the fake core (not started). */
export function fakeCoreClient(core: FakeCore, options: ContractClientOptions & { token?: string } = {}): ContractClient {
  const { token = TEST_TOKEN, ...clientOptions } = options;
  const transport = createWsTransport({ url: core.url, token, openSocket: (url) => new WebSocket(url) });
  return new ContractClient(transport, clientOptions);
}

/** Waits until `cond` holds (the thing under test works asynchronously over a real socket). */
export async function waitFor(cond: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
