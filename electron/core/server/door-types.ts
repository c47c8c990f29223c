// The seam between doors (WebSocket, IPC) and the router, and between the router and handlers.
import type { ErrorCode } from '@shared/contract/errors';
import type { RequestId, RequestPayload, RequestType, ServerEnvelope, ServerPayload } from '@shared/contract/messages';
import type { PushType, ReplyType } from '@shared/contract/routes';
import type { TaskView } from '@shared/contract/task';

/** One client connection on any door. Typed per-connection state (no `(socket as any)`). */
export interface Connection {
  readonly id: string;
  readonly door: 'ws' | 'ipc';
  /** Where the connection comes from (the peer's address on the WebSocket door); failed auth is throttled per source. */
  readonly source?: string;
  /** null until authenticated; IPC connections are created authenticated. */
  userId: string | null;
  /** Sends one server envelope. Must not throw (a dead peer is dropped by its door). */
  send(msg: ServerEnvelope): void;
}

/** What a handler of request K answers through: only K's replies (the route table says which). */
export interface RequestContext<K extends RequestType = RequestType> {
  readonly conn: Connection;
  readonly requestId: RequestId | undefined;
  /** Replies to this request (carries the request's id). */
  reply<T extends ReplyType<K>>(type: T, payload: ServerPayload<T>): void;
  /** An error reply (carries the request's id); in a batch, one naming its videoId is about that item. */
  error(code: ErrorCode, message: string, videoId?: string): void;
}

/**
 * A handler for one request type. It answers through ctx.reply/ctx.error; a thrown AppError
 * becomes an `error` reply with its code, anything else INTERNAL (logged, message generic).
 */
export type Handler<K extends RequestType> = (payload: RequestPayload<K>, ctx: RequestContext<K>) => Promise<void> | void;
export type HandlerMap = { [K in RequestType]?: Handler<K> };

/** The requests the router answers itself: `auth` and the connection's task rooms (and `ping`). */
export type ConnectionRoute = 'auth' | 'ping' | 'subscribe_task' | 'unsubscribe_task';
/** Every other request has exactly one handler in the service (handlers/service-handlers.ts). */
export type ServiceHandlers = { [K in Exclude<RequestType, ConnectionRoute>]: Handler<K> };

/** Media for the browser UI's player: `GET /media/<videoId>?variant=video|thumbnail` with Range. */
export interface MediaSource {
  open(videoId: string, variant: 'video' | 'thumbnail', range: string | undefined): Promise<{
    status: number; headers: Record<string, string>; body: NodeJS.ReadableStream;
  }>;
}

/** Rooms and pushes. Every push is a `taskUpdated` (or a broadcast) with no `id`. */
export interface Hub {
  add(conn: Connection): void;
  /** Forgets a connection and all its rooms. */
  drop(conn: Connection): void;
  /** Puts an authenticated connection in its user's room. */
  joinUser(conn: Connection, userId: string): void;
  joinTask(conn: Connection, videoId: string): void;
  leaveTask(conn: Connection, videoId: string): void;
  /** Is anyone watching this task (subscribed)? The poller polls watched tasks first. */
  isWatched(videoId: string): boolean;
  /** `taskUpdated` to every connection in the owner's room or the task's room, once per connection. */
  publishTask(userId: string, view: TaskView): void;
  /** A push (no id) to every authenticated connection (settings changed, notices). */
  broadcast<T extends PushType>(type: T, payload: ServerPayload<T>): void;
}
