// The one client of the local API, for every end: the renderer, the desktop shell, tests, the bench
// and scripts. Requests are typed by the route table and matched to replies by id; a request with a
// streamed answer (a batch) resolves on its final reply; an `error` reply rejects with the core's
// {code, message, videoId}; a dropped link fails what was in flight and, unless turned off,
// reconnects with backoff and jitter. Plain TypeScript: no DOM, no Node, no zod.
import type { ClientEnvelope, RequestType, ServerEnvelope, ServerMessage } from '../contract/messages';
import {
  isPushType, type MessageOf, type PushMessage, type ReplyEnvelope, type ReplyPayload, type RequestInput, ROUTES, type RouteSpec,
  type StreamMessage,
} from '../contract/routes';
import type { ErrorCode } from '../contract/values';
import { AuthRejectedError, type ContractLink, type ContractTransport } from './transport';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'unauthorized';
export type { ServerMessage };

/** What a failed request rejects with: the core's error, or OFFLINE when there is no link. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode | 'OFFLINE',
    message: string,
    readonly videoId?: string,
    /** The `error` envelope as the core sent it (absent for OFFLINE). */
    readonly envelope?: MessageOf<'error'>,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** After this many failed attempts in a row the state reads `offline` (still retrying). */
  offlineAfter: number;
}
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, offlineAfter: 4 };

export interface ContractClientOptions {
  /** Reconnect after a drop (default); `false` for one-shot clients: a drop leaves the state `offline`. */
  reconnect?: Partial<BackoffOptions> | false;
  /** Request ids are `${idPrefix}${n}`. */
  idPrefix?: string;
}

export interface RequestOptions<K extends RequestType> {
  /** Each streamed reply before the final one (a batch's per-task `taskUpdated` or `error`). */
  onItem?(msg: StreamMessage<K>): void;
}

/** The payload argument: optional when the request needs none. */
type PayloadArgs<K extends RequestType> = Record<never, never> extends RequestInput<K>
  ? [payload?: RequestInput<K>, options?: RequestOptions<K>]
  : [payload: RequestInput<K>, options?: RequestOptions<K>];

interface Pending {
  route: RouteSpec | undefined;
  resolve(msg: ServerEnvelope): void;
  reject(err: ContractError): void;
  onItem?(msg: ServerEnvelope): void;
}

type Listener<T> = (value: T) => void;

export class ContractClient {
  private link: ContractLink | null = null;
  private state: ConnectionState = 'connecting';
  private attempts = 0;
  private nextId = 1;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly messageListeners = new Set<Listener<ServerMessage>>();
  private readonly pushListeners = new Set<Listener<PushMessage>>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly readyListeners = new Set<Listener<void>>();
  private readonly backoff: BackoffOptions | null;
  private readonly idPrefix: string;
  /** Why the last attempt to open the link failed (what `connect()` rejects with). */
  private lastFailure: Error | null = null;

  constructor(
    private readonly transport: ContractTransport,
    options: ContractClientOptions = {},
  ) {
    this.backoff = options.reconnect === false ? null : { ...DEFAULT_BACKOFF, ...options.reconnect };
    this.idPrefix = options.idPrefix ?? 'r';
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Opens the link (and keeps it open, unless reconnecting is off). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.setState('connecting');
    this.openLink();
  }

  /**
   * Starts, and resolves once connected. Rejects when the core refuses the credentials, or, for a
   * client that does not reconnect, when the link cannot be opened.
   */
  connect(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.state === 'unauthorized' && !this.stopped) return Promise.reject(this.lastFailure ?? new AuthRejectedError('the token was refused'));
    return new Promise((resolve, reject) => {
      const offReady = this.onReady(() => {
        offState();
        offReady();
        resolve();
      });
      const offState = this.onState((s) => {
        if (s !== 'unauthorized' && !(s === 'offline' && !this.backoff)) return;
        offState();
        offReady();
        reject(this.lastFailure ?? new Error(`could not connect (${s})`));
      });
      this.start();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.link?.close();
    this.link = null;
    this.failPending('the client was stopped');
  }

  /** Every server message, replies included, so state can merge whatever it learns. */
  onMessage(listener: Listener<ServerMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Messages without an id: pushes and broadcasts. */
  onPush(listener: Listener<PushMessage>): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
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

  /** Sends a request; resolves with its final reply's payload, rejects with a ContractError. */
  async request<K extends RequestType>(type: K, ...args: PayloadArgs<K>): Promise<ReplyPayload<K>> {
    // The same type as the envelope's payload; TypeScript does not see through the generic.
    return (await this.requestEnvelope(type, ...args)).payload as ReplyPayload<K>;
  }

  /** Like `request`, with the whole final envelope (its server `timestamp` included). */
  requestEnvelope<K extends RequestType>(type: K, ...[payload, options]: PayloadArgs<K>): Promise<ReplyEnvelope<K>> {
    const link = this.link;
    if (!link) return Promise.reject(new ContractError('OFFLINE', 'not connected to SoraDesk'));
    const id = `${this.idPrefix}${this.nextId++}`;
    const route: RouteSpec | undefined = Object.hasOwn(ROUTES, type) ? ROUTES[type] : undefined;
    return new Promise<ReplyEnvelope<K>>((resolve, reject) => {
      this.pending.set(id, {
        route,
        resolve: resolve as Pending['resolve'],
        reject,
        onItem: options?.onItem as Pending['onItem'],
      });
      const envelope: ClientEnvelope = payload === undefined ? { type, id } : { type, id, payload: payload as Record<string, unknown> };
      const sent = link.send(envelope);
      if (sent) {
        sent.catch((err: unknown) => {
          if (!this.pending.delete(id)) return;
          reject(new ContractError('INTERNAL', err instanceof Error ? err.message : String(err)));
        });
      }
    });
  }

  private openLink(): void {
    if (this.stopped) return;
    let opened: ContractLink | Promise<ContractLink>;
    try {
      opened = this.transport.open({
        onMessage: (msg) => this.dispatch(msg as ServerMessage),
        onClose: () => this.lost(),
      });
    } catch (err) {
      return this.openFailed(err);
    }
    // An in-process link opens at once: requests may follow `start()` without waiting a tick.
    if ('then' in opened) opened.then((link) => this.linked(link), (err: unknown) => this.openFailed(err));
    else this.linked(opened);
  }

  private linked(link: ContractLink): void {
    if (this.stopped) {
      link.close();
      return;
    }
    this.link = link;
    this.attempts = 0;
    this.lastFailure = null;
    this.setState('connected');
    for (const l of this.readyListeners) l();
  }

  private openFailed(err: unknown): void {
    this.lastFailure = err instanceof Error ? err : new Error(String(err));
    if (err instanceof AuthRejectedError) {
      this.setState('unauthorized');
      return;
    }
    this.retryLater();
  }

  private lost(): void {
    this.link = null;
    this.failPending('the connection to SoraDesk was lost');
    this.retryLater();
  }

  private retryLater(): void {
    if (this.stopped) return;
    const backoff = this.backoff;
    if (!backoff) {
      this.stopped = true;
      this.setState('offline');
      return;
    }
    this.attempts += 1;
    this.setState(this.attempts > backoff.offlineAfter ? 'offline' : 'reconnecting');
    const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (this.attempts - 1));
    // Jitter keeps several tabs from hammering a restarting service in lockstep.
    const delay = exp / 2 + Math.random() * (exp / 2);
    this.timer = setTimeout(() => this.openLink(), delay);
  }

  private dispatch(msg: ServerMessage): void {
    for (const l of this.messageListeners) l(msg);
    if (msg.id === undefined) {
      if (isPushType(msg.type)) for (const l of this.pushListeners) l(msg as PushMessage);
      return;
    }
    const key = String(msg.id);
    const p = this.pending.get(key);
    if (!p) return;
    const streamed = p.route?.stream?.includes(msg.type) ?? false;
    if (msg.type === 'error') {
      // In a batch, an error about one item is part of the answer, not its end.
      if (streamed && msg.payload.videoId !== undefined) return p.onItem?.(msg);
      this.pending.delete(key);
      p.reject(new ContractError(msg.payload.code, msg.payload.message, msg.payload.videoId, msg));
      return;
    }
    // A request the table does not know (a newer core's, or a test's) ends at its first reply.
    if (!p.route || msg.type === p.route.reply) {
      this.pending.delete(key);
      p.resolve(msg);
      return;
    }
    if (streamed) p.onItem?.(msg);
  }

  private failPending(message: string): void {
    for (const p of this.pending.values()) p.reject(new ContractError('OFFLINE', message));
    this.pending.clear();
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }
}
