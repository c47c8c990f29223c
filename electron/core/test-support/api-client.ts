// A test client of the local API: the ContractClient over a real `ws` connection, with raw-frame
// helpers on top so a test can send what no well-behaved client would (bad JSON, unknown types)
// and wait for any frame. Every message is kept in `messages`, in order.
import WebSocket from 'ws';
import { ContractClient, ContractError } from '@shared/client/contract-client';
import { createWsTransport } from '@shared/client/ws-transport';
import type { RequestType, ServerEnvelope } from '@shared/contract/messages';

export class ApiClient {
  readonly messages: ServerEnvelope[] = [];
  /** Socket errors (a server that dies resets the socket: that shows up as `closed`, not a crash). */
  readonly errors: Error[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<{ match: (m: ServerEnvelope) => boolean; resolve: (m: ServerEnvelope) => void }> = [];

  private constructor(
    readonly ws: WebSocket,
    /** The typed client, for tests that want typed replies (`contract.request('createTask', p)`). */
    readonly contract: ContractClient,
  ) {
    contract.onMessage((msg) => {
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on('error', (err) => this.errors.push(err));
  }

  /** Connects (and authenticates when given a token); rejects with `HTTP <status>` when the door refuses the upgrade. */
  static async connect(wsUrl: string, token?: string, headers: Record<string, string> = {}): Promise<ApiClient> {
    const made: { ws?: WebSocket; refused?: Promise<never> } = {};
    const transport = createWsTransport({
      url: wsUrl,
      token,
      openSocket: (url) => {
        const ws = new WebSocket(url, { headers });
        made.ws = ws;
        made.refused = new Promise<never>((_resolve, reject) => ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`))));
        return ws;
      },
    });
    const contract = new ContractClient(transport, { reconnect: false });
    const connected = contract.connect(); // opens the socket at once
    if (!made.ws || !made.refused) throw new Error('the transport did not open a socket');
    const client = new ApiClient(made.ws, contract);
    await Promise.race([connected, made.refused]);
    return client;
  }

  /**
   * Sends a request and resolves with its reply envelope, an `error` included (a test checks it);
   * `type` may be anything, to test the door. A batch resolves on its final reply.
   */
  async request(type: string, payload?: Record<string, unknown>): Promise<ServerEnvelope> {
    // The one unchecked call: tests send types and payloads the contract refuses.
    const send = this.contract.requestEnvelope.bind(this.contract) as (t: RequestType, p?: unknown) => Promise<ServerEnvelope>;
    try {
      return await send(type as RequestType, payload);
    } catch (err) {
      if (err instanceof ContractError && err.envelope) return err.envelope;
      throw err;
    }
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
    this.contract.stop();
    return this.closed;
  }
}
