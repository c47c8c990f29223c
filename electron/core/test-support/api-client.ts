// A small client of the local API for tests and scripts: a real `ws` connection, replies matched by id,
// pushes collected so a test can wait for the one it expects.
import WebSocket from 'ws';
import type { ServerEnvelope } from '@shared/contract/messages';

export class ApiClient {
  readonly messages: ServerEnvelope[] = [];
  private waiters: Array<{ match: (m: ServerEnvelope) => boolean; resolve: (m: ServerEnvelope) => void }> = [];
  private nextId = 1;
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ServerEnvelope;
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    // A server that dies (a test kills it) resets the socket: that shows up as `closed`, not a crash.
    ws.on('error', (err) => this.errors.push(err));
  }

  readonly errors: Error[] = [];

  static async connect(wsUrl: string, token?: string, headers: Record<string, string> = {}): Promise<ApiClient> {
    const ws = new WebSocket(wsUrl, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    const client = new ApiClient(ws);
    if (token) {
      const reply = await client.request('auth', { token });
      if (reply.type !== 'authenticated') throw new Error(`auth failed: ${JSON.stringify(reply.payload)}`);
    }
    return client;
  }

  /** Sends a request and resolves with the first reply carrying its id (an `error` included). */
  request(type: string, payload?: Record<string, unknown>): Promise<ServerEnvelope> {
    const id = `r${this.nextId++}`;
    const reply = this.waitFor((m) => m.id === id);
    this.ws.send(JSON.stringify(payload === undefined ? { type, id } : { type, id, payload }));
    return reply;
  }

  /** Sends a raw frame: an object is JSON-encoded, a string goes as it is. */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first message (already received or future) that matches. */
  waitFor(match: (m: ServerEnvelope) => boolean, opts: { includePast?: boolean } = {}): Promise<ServerEnvelope> {
    if (opts.includePast) {
      const past = this.messages.find(match);
      if (past) return Promise.resolve(past);
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
