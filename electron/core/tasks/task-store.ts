// The TaskStore contract. Implementation: ./store.ts (lowdb, group commit).
import type { TaskStatus } from '@shared/contract/status';
import type { TaskStats } from '@shared/contract/task';
import type { TaskRecord } from './record';

export interface TaskQuery {
  status?: TaskStatus | TaskStatus[];
  /** Words in any order, case- and accent-insensitive, in the prompt, model, provider or ids (shared/contract/search.ts). */
  search?: string;
  /** Created at or after this ISO time. */
  from?: string | null;
  /** Created before this ISO time. */
  to?: string | null;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface TaskPage {
  tasks: TaskRecord[];
  nextCursor: string | null;
  /** Tasks matching the whole query. */
  total: number;
  /** Every task, whatever the query: the "of N" of a filtered count. */
  unfiltered: number;
}

/** What happened while opening: reported to the user, never a silent wipe. */
export interface StoreOpenReport {
  recovered: Array<{ file: string; movedTo: string; restoredFrom: string | null; reason: string }>;
  migratedFrom: number | null;
}

export interface TaskStore {
  readonly openReport: StoreOpenReport;
  get(videoId: string): TaskRecord | undefined;
  /** Newest first (createdAt desc, then videoId desc). */
  list(q: TaskQuery): TaskPage;
  /** Tasks in PENDING, QUEUED or PROCESSING. */
  active(): TaskRecord[];
  stats(): TaskStats;
  /** Stores the record (insert or replace). Resolves once it is durable on disk (group commit). */
  put(record: TaskRecord): Promise<void>;
  /** Removes the record. Resolves once durable. */
  delete(videoId: string): Promise<void>;
  /** Waits for every pending write. */
  flush(): Promise<void>;
  /**
   * Settles with the next batch written (at the store's own pace: after a failure it waits its retry
   * delay); rejects with that batch's write error.
   */
  nextWrite(): Promise<void>;
  /** Flushes and releases the data-dir lock. */
  close(): Promise<void>;
}
