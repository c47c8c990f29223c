// One router for every door: frame -> envelope -> checked payload -> handler -> reply.
// Doors only move frames; every rule about what a client may send lives here.
import type { z } from 'zod';
import { AppError, type ErrorCode } from '@shared/contract/errors';
import {
  ClientEnvelopeSchema, RequestIdSchema, RequestSchemas,
  type RequestId, type RequestType, type ServerPayload, type ServerType,
} from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import type { TokenIssuer } from './auth';
import { createAuthThrottle, type AuthThrottle } from './auth-throttle';
import type { Connection, HandlerMap, Hub, RequestContext } from './door-types';

/** What the door must do after a frame: keep going, or send nothing more and close with 4401. */
export type DispatchOutcome = 'continue' | 'close-unauthorized';
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_AUTH_TIMEOUT = 4408;

export interface RouterOptions {
  handlers: HandlerMap;
  hub: Hub;
  tokens: Pick<TokenIssuer, 'verify'>;
  logger: Logger;
  getTaskView: (videoId: string) => TaskView | undefined | Promise<TaskView | undefined>;
  clock?: Clock;
  /** Failed auth per connection source (default: the token bucket of auth-throttle.ts on `clock`). */
  authThrottle?: AuthThrottle;
}

export interface DispatchOptions {
  /** false for doors whose frames are already objects (IPC): a string is then a bad frame, not JSON. */
  parseText?: boolean;
}

export interface Router {
  dispatch(conn: Connection, frame: unknown, opts?: DispatchOptions): Promise<DispatchOutcome>;
  register(handlers: HandlerMap): void;
}

type AnyHandler = (payload: unknown, ctx: RequestContext) => Promise<void> | void;

const isRequestType = (type: string): type is RequestType => Object.hasOwn(RequestSchemas, type);

/** "payload.videoId: Invalid input: expected string, received undefined" */
function describeIssues(prefix: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'frame'}: ${i.message}`)
    .join('; ');
}

export function createRouter(opts: RouterOptions): Router {
  const { hub, tokens, logger, getTaskView } = opts;
  const clock = opts.clock ?? systemClock;
  const throttle = opts.authThrottle ?? createAuthThrottle(clock);
  const handlers = new Map<string, AnyHandler>();
  // Frames that arrive while `auth` is being verified wait for it, so a client may pipeline
  // auth and its first request without being refused.
  const authInFlight = new WeakMap<Connection, Promise<unknown>>();

  const register = (map: HandlerMap) => {
    for (const [type, handler] of Object.entries(map)) if (handler) handlers.set(type, handler as AnyHandler);
  };
  register(opts.handlers);

  const contextFor = (conn: Connection, requestId: RequestId | undefined): RequestContext => {
    const send = <T extends ServerType>(type: T, payload: ServerPayload<T>) =>
      conn.send(requestId === undefined ? { type, timestamp: clock.now(), payload } : { type, id: requestId, timestamp: clock.now(), payload });
    return {
      conn,
      requestId,
      reply: send,
      error: (code: ErrorCode, message: string, videoId?: string) =>
        send('error', videoId === undefined ? { code, message } : { code, message, videoId }),
    };
  };

  const unauthorized = (ctx: RequestContext, message: string): DispatchOutcome => {
    if (ctx.conn.source !== undefined) throttle.failed(ctx.conn.source);
    ctx.error('UNAUTHORIZED', message);
    return 'close-unauthorized';
  };

  /** A source that failed too often is refused unheard (and that refusal is not counted as a failure). */
  const throttled = (ctx: RequestContext): DispatchOutcome | null => {
    const wait = ctx.conn.source === undefined ? 0 : throttle.waitMs(ctx.conn.source);
    if (wait === 0) return null;
    ctx.error('UNAUTHORIZED', `too many failed authentication attempts from this address; try again in ${Math.ceil(wait / 1000)} s`);
    return 'close-unauthorized';
  };

  const authenticate = async (conn: Connection, payload: unknown, ctx: RequestContext): Promise<DispatchOutcome> => {
    // IPC connections are the app's own renderer, authenticated when opened; tokens are for sockets.
    if (conn.door === 'ipc' && conn.userId !== null) {
      ctx.reply('authenticated', { user: { id: conn.userId } });
      return 'continue';
    }
    const parsed = RequestSchemas.auth.safeParse(payload ?? {});
    const userId = parsed.success ? await tokens.verify(parsed.data.token) : null;
    if (userId === null) {
      conn.userId = null;
      return unauthorized(ctx, parsed.success ? 'invalid, expired or previous-launch token' : 'auth needs payload.token');
    }
    conn.userId = userId;
    hub.joinUser(conn, userId);
    ctx.reply('authenticated', { user: { id: userId } });
    return 'continue';
  };

  // The routes the router answers itself: they are about the connection, not the service.
  const connectionRoutes = {
    ping(_p, ctx) {
      ctx.reply('pong', {});
    },
    async subscribe_task({ videoId }, ctx) {
      const view = await getTaskView(videoId);
      if (!view) throw new AppError('NOT_FOUND', `no task ${videoId}`, videoId);
      hub.joinTask(ctx.conn, videoId);
      ctx.reply('taskUpdated', view);
    },
    unsubscribe_task({ videoId }, ctx) {
      hub.leaveTask(ctx.conn, videoId);
      ctx.reply('unsubscribed', { videoId });
    },
  } satisfies HandlerMap;
  register(connectionRoutes);

  const run = async (type: RequestType, payload: unknown, ctx: RequestContext) => {
    const handler = handlers.get(type);
    if (!handler) return ctx.error('UNKNOWN_TYPE', `no handler for message type "${type}"`);
    await handler(payload, ctx);
  };

  const dispatchNow = async (conn: Connection, frame: unknown, parseText: boolean): Promise<DispatchOutcome> => {
    const authed = conn.userId !== null;
    let value = frame;
    if (typeof frame === 'string' && parseText) {
      try {
        value = JSON.parse(frame);
      } catch {
        const ctx = contextFor(conn, undefined);
        if (!authed) return throttled(ctx) ?? unauthorized(ctx, 'authenticate first: the first message must be auth');
        ctx.error('BAD_JSON', 'frame is not valid JSON');
        return 'continue';
      }
    }
    const rawId = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
    const idGuess = RequestIdSchema.safeParse(rawId);
    const envelope = ClientEnvelopeSchema.safeParse(value);
    const ctx = contextFor(conn, envelope.success ? envelope.data.id : idGuess.success ? idGuess.data : undefined);
    const refused = authed ? null : throttled(ctx);
    if (refused) return refused;

    if (!envelope.success) {
      if (!authed) return unauthorized(ctx, 'authenticate first: the first message must be auth');
      const binary = value instanceof Uint8Array || value instanceof ArrayBuffer || Array.isArray(value);
      ctx.error('BAD_REQUEST', binary
        ? 'a frame must be one JSON object sent as text'
        : `bad envelope: ${describeIssues('', envelope.error)}`);
      return 'continue';
    }
    const { type, payload } = envelope.data;
    if (type === 'auth') return authenticate(conn, payload, ctx);
    if (!authed) return unauthorized(ctx, 'authenticate first: the first message must be auth');
    if (!isRequestType(type)) {
      ctx.error('UNKNOWN_TYPE', `unknown message type "${type}"`);
      return 'continue';
    }
    const checked = RequestSchemas[type].safeParse(payload ?? {});
    if (!checked.success) {
      ctx.error('BAD_REQUEST', describeIssues('payload', checked.error));
      return 'continue';
    }
    try {
      await run(type, checked.data, ctx);
    } catch (err) {
      if (err instanceof AppError) {
        ctx.error(err.code, err.message, err.videoId);
      } else {
        logger.error('request handler failed', { type, connId: conn.id, door: conn.door, err });
        ctx.error('INTERNAL', 'internal error (see log)');
      }
    }
    return 'continue';
  };

  return {
    register,
    async dispatch(conn, frame, dispatchOpts = {}) {
      const pending = authInFlight.get(conn);
      if (pending) await pending;
      const outcome = dispatchNow(conn, frame, dispatchOpts.parseText ?? true);
      if (conn.userId === null) {
        const settled = outcome.catch(() => undefined);
        authInFlight.set(conn, settled);
        void settled.then(() => {
          if (authInFlight.get(conn) === settled) authInFlight.delete(conn);
        });
      }
      return outcome;
    },
  };
}
