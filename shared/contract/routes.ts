// The route table: for every request, the reply that ends it, the replies that may stream before
// that (a batch's per-task answers), and the pushes it may cause. Clients and handlers take their
// types from here, so `client.request('createTask', p)` resolves to taskCreated's payload and a
// createTask handler can only reply `taskCreated`. Plain values (no zod at run time): the renderer
// and the ContractClient read it; the payload schemas are in messages.ts, keyed by the same names.
import type { RequestInput, RequestPayload, RequestType, ServerEnvelope, ServerPayload, ServerType } from './messages';

/** Server messages sent without an id: a change anyone connected may need to hear about. */
export const PUSH_TYPES = ['taskUpdated', 'taskDeleted', 'settings', 'updateState', 'notice', 'focusTask', 'batchUpdated'] as const;
export type PushType = (typeof PUSH_TYPES)[number];

export interface RouteSpec {
  /** The reply (with the request's id) that ends the request. */
  readonly reply: ServerType;
  /** Replies with the request's id that come before `reply`; an `error` here is about one item (it names it). */
  readonly stream?: readonly ServerType[];
  /** What the request may push (no id) to this and other connections. */
  readonly pushes: readonly PushType[];
}

export const ROUTES = {
  auth: { reply: 'authenticated', pushes: ['notice'] },
  ping: { reply: 'pong', pushes: [] },
  subscribe_task: { reply: 'taskUpdated', pushes: ['taskUpdated'] },
  unsubscribe_task: { reply: 'unsubscribed', pushes: [] },
  requestTaskStatus: { reply: 'taskUpdated', pushes: ['taskUpdated', 'notice'] },
  requestMultipleTaskStatus: { reply: 'taskStatusBatchDone', stream: ['taskUpdated', 'error'], pushes: ['taskUpdated', 'notice'] },
  createTask: { reply: 'taskCreated', pushes: ['taskUpdated', 'batchUpdated', 'notice'] },
  trackTask: { reply: 'taskCreated', pushes: ['taskUpdated', 'notice'] },
  getTask: { reply: 'taskUpdated', pushes: [] },
  listTasks: { reply: 'taskList', pushes: [] },
  cancelTask: { reply: 'taskUpdated', pushes: ['taskUpdated', 'batchUpdated'] },
  deleteTask: { reply: 'taskDeleted', pushes: ['taskDeleted', 'batchUpdated', 'notice'] },
  retryTask: { reply: 'taskCreated', pushes: ['taskUpdated', 'batchUpdated', 'notice'] },
  remixTask: { reply: 'taskCreated', pushes: ['taskUpdated', 'notice'] },
  getStats: { reply: 'stats', pushes: [] },
  listProviders: { reply: 'providers', pushes: [] },
  saveProvider: { reply: 'providerSaved', pushes: ['settings', 'taskUpdated', 'batchUpdated', 'notice'] },
  deleteProvider: { reply: 'providerDeleted', pushes: ['settings'] },
  testProvider: { reply: 'providerTested', pushes: [] },
  listModels: { reply: 'models', pushes: [] },
  getSettings: { reply: 'settings', pushes: [] },
  updateSettings: { reply: 'settings', pushes: ['settings', 'taskUpdated', 'batchUpdated', 'notice'] },
  getUpdateState: { reply: 'updateState', pushes: [] },
  installUpdate: { reply: 'updateState', pushes: ['updateState'] },
  exportDiagnostics: { reply: 'diagnosticsExported', pushes: [] },
  createBatch: { reply: 'batchCreated', pushes: ['taskUpdated', 'batchUpdated', 'notice'] },
  listBatches: { reply: 'batches', pushes: [] },
  pauseBatch: { reply: 'batchUpdated', pushes: ['taskUpdated', 'batchUpdated'] },
  resumeBatch: { reply: 'batchUpdated', pushes: ['taskUpdated', 'batchUpdated', 'notice'] },
  cancelBatch: { reply: 'batchUpdated', pushes: ['taskUpdated', 'batchUpdated'] },
  retryBatch: { reply: 'batchUpdated', pushes: ['taskUpdated', 'batchUpdated', 'notice'] },
  getSpend: { reply: 'spend', pushes: [] },
} as const satisfies { readonly [K in RequestType]: RouteSpec };

export type Routes = typeof ROUTES;

/** The reply type that ends request K. */
export type FinalReplyType<K extends RequestType> = Routes[K]['reply'];
/** Reply types that may come before the final one (none for most requests). */
export type StreamReplyType<K extends RequestType> = K extends RequestType
  ? Routes[K] extends { readonly stream: readonly (infer S extends ServerType)[] } ? S : never
  : never;
/** Every type a handler of K may reply with (errors go through ctx.error). */
export type ReplyType<K extends RequestType> = Exclude<FinalReplyType<K> | StreamReplyType<K>, 'error'>;

/** One server message of type T, with its payload. */
export type MessageOf<T extends ServerType> = T extends ServerType ? ServerEnvelope<T, ServerPayload<T>> : never;
/** What request K resolves to: the final reply's payload. */
export type ReplyPayload<K extends RequestType> = ServerPayload<FinalReplyType<K>>;
export type ReplyEnvelope<K extends RequestType> = MessageOf<FinalReplyType<K>>;
/** A streamed reply of request K (a batch's per-task `taskUpdated` or `error`). */
export type StreamMessage<K extends RequestType> = MessageOf<StreamReplyType<K>>;
export type PushMessage = MessageOf<PushType>;

export type { RequestInput, RequestPayload, RequestType };

export function isPushType(type: string): type is PushType {
  return (PUSH_TYPES as readonly string[]).includes(type);
}
