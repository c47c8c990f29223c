// The TaskService's seams: what it is given and what it offers the handlers, the poller and media.
import type { GetSpendPayload, Spend } from '@shared/contract/cost';
import type { CreateTaskPayload, ListTasksPayload } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { Settings } from '@shared/contract/settings';
import type { TaskStats, TaskView } from '@shared/contract/task';
import type { BatchService } from '../budget/batches';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ProviderClient, ProviderConnection } from '../providers/provider-client';
import type { Hub } from '../server/door-types';
import type { GatePriority, ProviderGate } from './provider-gate';
import type { TaskRecord } from './record';
import type { TaskStore } from './task-store';

/** The part of the ProviderRegistry the service needs. */
export interface ProviderLookup {
  /** Reads the key at call time; AppError NOT_FOUND for an unknown id. */
  connection(id: string): Promise<ProviderConnection>;
  get(id: string): ProviderView | undefined;
}

export interface SettingsSource {
  get(): Settings;
  onChange(listener: (s: Settings) => void): unknown;
}

export interface TaskServiceDeps {
  store: TaskStore;
  providers: ProviderLookup;
  settings: SettingsSource;
  hub: Hub;
  clock: Clock;
  logger: Logger;
  clientFor?: (conn: ProviderConnection) => ProviderClient;
  newId?: () => string;
  /** Jobs listed per page and pages read when reconciling an unconfirmed creation. */
  reconcile?: { pageSize?: number; pages?: number; windowMs?: number };
  /** The per-provider gate every upstream API call passes (default: the providers' rateLimitPerMinute, 4 at once). */
  gate?: ProviderGate;
  /** Removes a kept video and its thumbnail (default: from the disk; library-file.ts). */
  removeVideoFile?(localPath: string): Promise<void>;
  /** Where `batches.json` lives (absent: batches are kept in memory only). */
  dataDir?: string | null;
}

/** What one upstream step (submit, reconcile, poll) came to: the poller schedules from it. */
export interface StepOutcome {
  /** The fault that stopped it, if any (the task is not failed by a transient one). */
  fault: Error | null;
  /** The upstream's wish for the next call (Retry-After, openai-poll-after-ms). */
  retryAfterMs: number | null;
}

/** createBatch, listBatches, pause, resume, cancel and retryBatch: budget/batches.ts. */
export interface TaskService extends BatchService {
  createTask(userId: string, payload: CreateTaskPayload): Promise<TaskView>;
  trackTask(userId: string, payload: { providerId: string; externalId: string; prompt?: string }): Promise<TaskView>;
  getTask(videoId: string): TaskView;
  listTasks(q: ListTasksPayload): { tasks: TaskView[]; nextCursor: string | null; total: number; unfiltered: number };
  /** requestTaskStatus: the fresh state after asking the upstream (active tasks), else the stored one. */
  refreshTask(videoId: string): Promise<TaskView>;
  cancelTask(videoId: string): Promise<TaskView>;
  /** `deleteFile`: also remove the kept video and its thumbnail (a failure is a `notice`, the task is gone either way). */
  deleteTask(videoId: string, opts?: { deleteFile?: boolean }): Promise<void>;
  retryTask(userId: string, videoId: string): Promise<TaskView>;
  remixTask(userId: string, videoId: string, prompt: string): Promise<TaskView>;
  getStats(): TaskStats;
  /** What was spent, from the stored tasks' costs. */
  getSpend(q: GetSpendPayload): Spend;
  /** Looks at the held tasks again (a provider's cap or budget changed). */
  reconsiderHolds(): void;
  /** `batches.json` could not be read at start (set aside): what to tell the user, else null. */
  readonly batchesProblem: string | null;
  /** One poll of an accepted task, shared with concurrent refreshTask calls (a joiner raises its priority). */
  pollTask(videoId: string, priority?: GatePriority): Promise<StepOutcome>;
  /** Sends a PENDING 'unsent' task (no-op for any other state). */
  submitTask(videoId: string, priority?: GatePriority): Promise<StepOutcome>;
  /** Settles a 'sending' task whose creation outcome is unknown. */
  reconcileTask(videoId: string, priority?: GatePriority): Promise<StepOutcome>;
  /** Is a creation request for this task in flight right now? */
  isSubmitting(videoId: string): boolean;
  /** ms until the upstream's Retry-After for this task's creation has passed (0: now). */
  waitBeforeSending(videoId: string): number;
  /**
   * A client whose API calls pass the provider gate (default: as a person waiting, refused with
   * RATE_LIMITED rather than kept waiting long); its fetchContent downloads are not gated.
   */
  clientForProvider(providerId: string, priority?: GatePriority): Promise<{ client: ProviderClient; conn: ProviderConnection }>;
  /** Every stored change of a record (deleted: undefined), for the poller. */
  onRecord(listener: (videoId: string, rec: TaskRecord | undefined) => void): () => void;
  /** Waits for background submissions started by createTask/retry/remix (tests, shutdown). */
  idle(): Promise<void>;
  /** Shutdown: calls still waiting in the provider gate give up unsent (their tasks keep their state), so idle() ends soon. */
  close(): void;
}
