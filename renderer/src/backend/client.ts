// The one backend client: request/response by id, pushes fanned out, reconnect with backoff.
// It knows nothing of tasks; the app model listens to `onReady` to resync after each (re)connect.
import type { ClientEnvelope, RequestPayload, RequestType, ServerEnvelope, ServerPayload, ServerType } from '@shared/contract/messages';
import { AuthRejectedError, type Connection, type Transport } from './transport';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'unauthorized';

/** What a failed request rejects with: the core's {code, message}, or OFFLINE when no link. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly videoId?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** After this many failed attempts in a row the state reads `offline` (still retrying). */
  offlineAfter: number;
}
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, offlineAfter: 4 };

interface Pending {
  resolve(msg: ServerEnvelope): void;
  reject(err: RequestError): void;
  /** Resolve only on this reply type; other messages carrying the id are part of the answer. */
  until?: ServerType;
}

type Listener<T> = (value: T) => void;

export class BackendClient {
  private connection: Connection | null = null;
  private state: ConnectionState = 'connecting';
  private attempts = 0;
  private nextId = 1;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly messageListeners = new Set<Listener<ServerEnvelope>>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly readyListeners = new Set<Listener<void>>();
  private readonly backoff: BackoffOptions;

  constructor(
    private readonly transport: Transport,
    backoff: Partial<BackoffOptions> = {},
  ) {
    this.backoff = { ...DEFAULT_BACKOFF, ...backoff };
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.connection?.close();
    this.connection = null;
    this.failPending('OFFLINE', 'the client was stopped');
  }

  /** Every server message, replies included, so state can merge whatever it learns. */
  onMessage(listener: Listener<ServerEnvelope>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: Listener<ConnectionState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called after every successful (re)connect: the moment to resync. */
  onReady(listener: Listener<void>): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Sends a request; resolves with the reply envelope, rejects with the core's {code, message}. */
  request<T extends RequestType, R extends ServerType = ServerType>(
    type: T,
    payload?: RequestPayload<T> | Record<string, unknown>,
    until?: R,
  ): Promise<ServerEnvelope<R, ServerPayload<R>>> {
    const connection = this.connection;
    if (!connection) return Promise.reject(new RequestError('OFFLINE', 'not connected to SoraDesk'));
    const id = `r${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject, until });
      const envelope: ClientEnvelope = { type, id, payload: (payload ?? {}) as Record<string, unknown> };
      connection.send(envelope);
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const connection = await this.transport.open({
        onMessage: (msg) => this.dispatch(msg),
        onClose: () => this.lost(),
      });
      if (this.stopped) {
        connection.close();
        return;
      }
      this.connection = connection;
      this.attempts = 0;
      this.setState('connected');
      for (const l of this.readyListeners) l();
    } catch (err) {
      if (err instanceof AuthRejectedError) {
        this.setState('unauthorized');
        return;
      }
      this.scheduleReconnect();
    }
  }

  private lost(): void {
    this.connection = null;
    this.failPending('OFFLINE', 'the connection to SoraDesk was lost');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.attempts += 1;
    this.setState(this.attempts > this.backoff.offlineAfter ? 'offline' : 'reconnecting');
    const exp = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (this.attempts - 1));
    // Jitter keeps several tabs from hammering a restarting service in lockstep.
    const delay = exp / 2 + Math.random() * (exp / 2);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private dispatch(msg: ServerEnvelope): void {
    for (const l of this.messageListeners) l(msg);
    if (msg.id === undefined) return;
    const key = String(msg.id);
    const p = this.pending.get(key);
    if (!p) return;
    if (msg.type === 'error') {
      const e = msg.payload as { code: string; message: string; videoId?: string };
      // In a batch, an error about one task is part of the answer, not its end.
      if (p.until && e.videoId) return;
      this.pending.delete(key);
      p.reject(new RequestError(e.code, e.message, e.videoId));
      return;
    }
    if (p.until && msg.type !== p.until) return;
    this.pending.delete(key);
    p.resolve(msg);
  }

  private failPending(code: string, message: string): void {
    for (const p of this.pending.values()) p.reject(new RequestError(code, message));
    this.pending.clear();
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }
}
