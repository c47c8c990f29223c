// Every message of the local API: envelopes, request payloads and what each door sends back.
// One schema per message; the router checks requests with them and every end takes its types from
// here. Which reply answers which request, and what it may push, is the route table (routes.ts).
import { z } from 'zod';
import { BatchViewSchema, CreateBatchPayloadSchema } from './batch';
import { BudgetSchema, GetSpendPayloadSchema, SpendSchema } from './cost';
import { ErrorPayloadSchema } from './errors';
import { ModelEntrySchema } from './model';
import { DialectSchema, ProviderViewSchema } from './provider';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import { TaskStatusSchema } from './status';
import { TaskStatsSchema, TaskViewSchema } from './task';
import { UpdateStateSchema } from './update';
import {
  DEFAULT_LIST_LIMIT, HTTP_URL_PATTERN, MAX_BATCH_VIDEO_IDS, MAX_LIST_LIMIT, MAX_PROMPT_LENGTH, MAX_RATE_LIMIT_PER_MINUTE,
  NOTICE_LEVELS, PROVIDER_ID_PATTERN, SECONDS_PATTERN, SIZE_PATTERN,
} from './values';

export { MAX_FRAME_BYTES, MAX_PROMPT_LENGTH } from './values';

export const RequestIdSchema = z.union([z.string().max(200), z.number()]);
export type RequestId = z.infer<typeof RequestIdSchema>;

/** Client to server: one JSON object per text frame. */
export const ClientEnvelopeSchema = z.object({
  type: z.string().min(1).max(100),
  id: RequestIdSchema.optional(),
  // `null` is taken as "no payload": some clients send it for messages that carry nothing.
  payload: z.record(z.string(), z.unknown()).nullish(),
});
export type ClientEnvelope = z.infer<typeof ClientEnvelopeSchema>;

/** Server to client. */
export interface ServerEnvelope<T extends string = string, P = unknown> {
  type: T;
  id?: RequestId;
  timestamp: number;
  payload: P;
}

const videoId = z.string().min(1).max(200);
const empty = z.object({}).loose();
const seconds = z.union([z.string().regex(SECONDS_PATTERN), z.number().int().positive().max(9999)]).transform(String);
const size = z.string().regex(SIZE_PATTERN, 'size must look like 1280x720');

/** A reference image: an http(s) URL, a data URL (uploaded as multipart), or an upstream file id. */
export const InputReferenceSchema = z.union([
  z.string().min(1),
  z.object({
    imageUrl: z.string().min(1).optional(),
    fileId: z.string().min(1).optional(),
    fileName: z.string().max(255).optional(),
  }).refine((r) => Boolean(r.imageUrl) !== Boolean(r.fileId), 'give exactly one of imageUrl or fileId'),
]);
export type InputReference = z.infer<typeof InputReferenceSchema>;

export const CreateTaskPayloadSchema = z.object({
  providerId: z.string().min(1).optional(),
  prompt: z.string().trim().min(1, 'prompt is required').max(MAX_PROMPT_LENGTH),
  model: z.string().min(1).max(100).optional(),
  seconds: seconds.optional(),
  size: size.optional(),
  inputReference: InputReferenceSchema.optional(),
});
export type CreateTaskPayload = z.infer<typeof CreateTaskPayloadSchema>;

const isoTime = (field: string) =>
  z.string().max(40).refine((v) => Number.isFinite(Date.parse(v)), `${field} must be an ISO 8601 date or time, like 2026-11-29T00:00:00Z`);

export const ListTasksPayloadSchema = z.object({
  status: z.union([TaskStatusSchema, z.array(TaskStatusSchema).min(1)]).optional(),
  /** Words in any order, case- and accent-insensitive, in the prompt, model, provider and ids (search.ts). */
  search: z.string().max(500).optional(),
  /** Created at or after this time. */
  from: isoTime('from').nullish(),
  /** Created before this time. */
  to: isoTime('to').nullish(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
  cursor: z.string().max(500).nullish(),
});
export type ListTasksPayload = z.infer<typeof ListTasksPayloadSchema>;

export const SaveProviderPayloadSchema = z.object({
  id: z.string().regex(PROVIDER_ID_PATTERN).optional(),
  name: z.string().trim().min(1).max(100),
  dialect: DialectSchema,
  baseUrl: z.string().url().refine((u) => HTTP_URL_PATTERN.test(u), 'baseUrl must be http or https'),
  /** A new key (stored in the keychain), null to remove the key, omitted to keep it. */
  apiKey: z.string().min(1).max(4096).nullable().optional(),
  rateLimitPerMinute: z.number().int().min(1).max(MAX_RATE_LIMIT_PER_MINUTE).nullable().optional(),
  /** The model catalog as the user edited it; null: back to the dialect's built-in entries; omitted: kept. */
  models: z.array(ModelEntrySchema).max(200).nullable().optional(),
  /** Jobs in flight at once, at most (null: no cap); omitted: kept. */
  maxActiveJobs: z.number().int().min(1).max(1000).nullable().optional(),
  /** This provider's spending limits; omitted: kept. */
  budget: BudgetSchema.optional(),
});
export type SaveProviderPayload = z.infer<typeof SaveProviderPayloadSchema>;

/** Requests: type -> payload schema. Each type has its entry in the route table (routes.ts) too. */
export const RequestSchemas = {
  auth: z.object({ token: z.string().min(1).max(4096) }),
  ping: empty,
  subscribe_task: z.object({ videoId }),
  unsubscribe_task: z.object({ videoId }),
  requestTaskStatus: z.object({ videoId }),
  requestMultipleTaskStatus: z.object({ videoIds: z.array(videoId).min(1).max(MAX_BATCH_VIDEO_IDS) }),
  createTask: CreateTaskPayloadSchema,
  trackTask: z.object({
    providerId: z.string().min(1),
    externalId: z.string().min(1).max(500),
    prompt: z.string().max(MAX_PROMPT_LENGTH).optional(),
  }),
  getTask: z.object({ videoId }),
  listTasks: ListTasksPayloadSchema,
  cancelTask: z.object({ videoId }),
  /** `deleteFile`: also remove the video (and its thumbnail) from the library; by default the file is kept. */
  deleteTask: z.object({ videoId, deleteFile: z.boolean().optional() }),
  retryTask: z.object({ videoId }),
  remixTask: z.object({ videoId, prompt: z.string().trim().min(1).max(MAX_PROMPT_LENGTH) }),
  getStats: empty,
  listProviders: empty,
  saveProvider: SaveProviderPayloadSchema,
  deleteProvider: z.object({ id: z.string().min(1) }),
  testProvider: z.object({ id: z.string().min(1) }),
  /** The provider's catalog, with the models the provider itself names where it can list them. */
  listModels: z.object({ providerId: z.string().min(1) }),
  getSettings: empty,
  updateSettings: SettingsPatchSchema,
  /** Desktop self-update: reply `updateState`; 'unsupported' in browser mode and development. */
  getUpdateState: empty,
  /** Restarts into a downloaded update; reply `updateState` (ignored unless state is 'downloaded'). */
  installUpdate: empty,
  /** Writes a diagnostics zip into the data dir's `diagnostics/` (never a key or token; prompts only when asked); reply `diagnosticsExported`. */
  exportDiagnostics: z.object({ includePrompts: z.boolean().optional() }),
  /** Many creations at once, in this order, under the providers' maxActiveJobs and the budgets. */
  createBatch: CreateBatchPayloadSchema,
  listBatches: empty,
  pauseBatch: z.object({ id: z.string().min(1).max(200) }),
  resumeBatch: z.object({ id: z.string().min(1).max(200) }),
  cancelBatch: z.object({ id: z.string().min(1).max(200) }),
  /** Sends the batch's FAILED items again, as new tasks of the same batch. */
  retryBatch: z.object({ id: z.string().min(1).max(200) }),
  /** What was spent, from the stored tasks' costs, grouped. */
  getSpend: GetSpendPayloadSchema,
} as const;
export type RequestType = keyof typeof RequestSchemas;
/** A request's payload as the handler gets it (parsed: defaults filled, `seconds` a string). */
export type RequestPayload<T extends RequestType> = z.infer<(typeof RequestSchemas)[T]>;
/** A request's payload as a client may send it (before parsing). */
export type RequestInput<T extends RequestType> = z.input<(typeof RequestSchemas)[T]>;
export const REQUEST_TYPES = Object.keys(RequestSchemas) as RequestType[];

/** Server messages: type -> payload schema (replies and pushes). */
export const ServerSchemas = {
  authenticated: z.object({ user: z.object({ id: z.string() }) }),
  pong: empty,
  taskUpdated: TaskViewSchema,
  unsubscribed: z.object({ videoId }),
  taskStatusBatchDone: z.object({ videoIds: z.array(z.string()), failed: z.array(z.string()) }),
  taskCreated: z.object({ task: TaskViewSchema }),
  /** `total`: the tasks matching the query; `unfiltered`: every task, whatever the query. */
  taskList: z.object({ tasks: z.array(TaskViewSchema), nextCursor: z.string().nullable(), total: z.number().int(), unfiltered: z.number().int() }),
  taskDeleted: z.object({ videoId }),
  stats: TaskStatsSchema,
  providers: z.object({ providers: z.array(ProviderViewSchema) }),
  /** `listError`: why the provider's own list could not be read (the catalog is still given); null otherwise. */
  models: z.object({ providerId: z.string(), models: z.array(ModelEntrySchema), listError: z.string().nullable() }),
  providerSaved: z.object({ provider: ProviderViewSchema }),
  providerDeleted: z.object({ id: z.string() }),
  providerTested: z.object({ id: z.string(), ok: z.boolean(), message: z.string(), code: z.string().nullable() }),
  settings: z.object({ settings: SettingsSchema }),
  /** A push saying what happened when it is not the answer to a request (a recovered database, a locked keychain). */
  notice: z.object({
    level: z.enum(NOTICE_LEVELS),
    code: z.string(),
    message: z.string(),
    providerId: z.string().optional(),
    /** The task it concerns, when there is one (a video that could not be saved to the library). */
    videoId: z.string().optional(),
  }),
  /** Desktop only, over IPC: the user clicked a notification about this task; the UI shows it. */
  focusTask: z.object({ videoId }),
  error: ErrorPayloadSchema,
  /** Reply to getUpdateState/installUpdate, and a broadcast (no id) on every updater change. */
  updateState: UpdateStateSchema,
  /** Reply to exportDiagnostics: where the zip was written. */
  diagnosticsExported: z.object({ path: z.string() }),
  /** Reply to createBatch: the batch and its tasks, in item order. */
  batchCreated: z.object({ batch: BatchViewSchema, tasks: z.array(TaskViewSchema) }),
  batches: z.object({ batches: z.array(BatchViewSchema) }),
  /** A batch's counts changed (a push), or the reply to pause/resume/cancel/retryBatch. */
  batchUpdated: z.object({ batch: BatchViewSchema }),
  spend: SpendSchema,
} as const;
export type ServerType = keyof typeof ServerSchemas;
export type ServerPayload<T extends ServerType> = z.infer<(typeof ServerSchemas)[T]>;
export type ServerMessage = { [K in ServerType]: ServerEnvelope<K, ServerPayload<K>> }[ServerType];
