// The TaskStore on lowdb, with group commit.
//
// Layout (so one status update never re-serialises the whole history):
//   DIR/tasks-active.json          PENDING/QUEUED/PROCESSING tasks; small, rewritten by batches that touch it
//   DIR/archive/seg-000001.json    terminal tasks, up to `segmentSize` (1000) each. A terminal task keeps its
//                                  segment; new ones fill the newest segment; a batch rewrites only the
//                                  segments it touched.
// Every file is {version, writeSeq, tasks}, written atomically with the previous good copy kept as .bak.
// A task moving between files is written to the file that gains it before the file that loses it, so a
// crash mid-batch can leave it in two files but never in none; on open the copy in the file with the
// higher writeSeq (the later write) wins.
// Group commit: put()/delete() change memory at once and join the pending batch; the batch is written
// `commitDelayMs` later (one write per touched file) and only then are their promises settled.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { AppError } from '../../../shared/contract/errors';
import { TASK_STATUSES, isTerminal } from '../../../shared/contract/status';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import type { TaskRecord } from './record';
import {
  DurableTaskFileAdapter,
  STORE_SCHEMA_VERSION,
  emptyTaskFile,
  nodeFileOps,
  openTaskFile,
  type FileOps,
  type TaskFileData,
} from './store-file';
import { TaskIndex } from './store-index';
import type { StoreOpenReport, TaskPage, TaskQuery, TaskStore } from './task-store';

export const ACTIVE_FILE = 'tasks-active.json';
export const ARCHIVE_DIR = 'archive';
const SEGMENT_NAME = /^seg-(\d{6,})\.json(\.bak)?$/;
const MAX_RETRY_DELAY_MS = 5000;

export interface TaskStoreOptions {
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  commitDelayMs?: number;
  /** Terminal tasks per archive file. */
  segmentSize?: number;
  /** Filesystem seam for writes (tests simulate a full disk with it). */
  fileOps?: Partial<FileOps>;
}

/** Where a task lives: the active file or an archive segment number. */
type Home = 'active' | number;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export function segmentFileName(n: number): string {
  return `seg-${String(n).padStart(6, '0')}.json`;
}

export async function openTaskStore(opts: TaskStoreOptions): Promise<TaskStore> {
  const lock = await acquireDataDirLock(opts.dataDir);
  try {
    const store = new FileTaskStore(opts, lock);
    await store.load();
    return store;
  } catch (err) {
    await lock.release();
    throw err;
  }
}

class FileTaskStore implements TaskStore {
  readonly openReport: StoreOpenReport = { recovered: [], migratedFrom: null };
  private readonly index = new TaskIndex();
  private readonly home = new Map<string, Home>();
  private readonly members = new Map<Home, Set<string>>();
  private readonly files = new Map<Home, Low<TaskFileData>>();
  private readonly clock: Clock;
  private readonly ops: FileOps;
  private readonly commitDelayMs: number;
  private readonly segmentSize: number;
  private readonly archiveDir: string;
  private dirty = new Set<Home>();
  /** Segments that lost a task to the active file in the pending batch: written after it. */
  private lostToActive = new Set<number>();
  private waiters: Waiter[] = [];
  private timer: unknown = null;
  private writing: Promise<void> | null = null;
  private writeSeq = 0;
  private newestSegment = 0;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly opts: TaskStoreOptions,
    private readonly lock: DataDirLock,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.ops = { ...nodeFileOps, ...opts.fileOps };
    this.commitDelayMs = opts.commitDelayMs ?? 50;
    this.segmentSize = opts.segmentSize ?? 1000;
    this.archiveDir = path.join(opts.dataDir, ARCHIVE_DIR);
  }

  async load(): Promise<void> {
    await fs.mkdir(this.archiveDir, { recursive: true });
    const segments = new Set<number>();
    for (const name of await fs.readdir(this.archiveDir)) {
      const m = SEGMENT_NAME.exec(name);
      if (m) segments.add(Number(m[1]));
    }
    const homes: Home[] = ['active', ...[...segments].sort((a, b) => a - b)];
    const seqOf = new Map<string, number>();
    const loaded = new Map<string, TaskRecord>();
    for (const h of homes) {
      const file = this.fileOf(h);
      const opened = await openTaskFile(file, this.ops, () => this.clock.now(), this.opts.logger);
      this.files.set(h, opened.low);
      this.members.set(h, new Set());
      if (opened.recovered) this.openReport.recovered.push(opened.recovered);
      if (opened.migratedFrom !== null) {
        const prev = this.openReport.migratedFrom;
        this.openReport.migratedFrom = prev === null ? opened.migratedFrom : Math.min(prev, opened.migratedFrom);
        this.dirty.add(h);
      }
      const seq = opened.low.data.writeSeq;
      this.writeSeq = Math.max(this.writeSeq, seq);
      if (typeof h === 'number') this.newestSegment = Math.max(this.newestSegment, h);
      for (const r of opened.low.data.tasks) {
        const prevHome = this.home.get(r.videoId);
        if (prevHome !== undefined) {
          // Left in two files by a crash mid-batch: keep the later write, drop the other copy.
          this.dirty.add(prevHome);
          this.dirty.add(h);
          if ((seqOf.get(r.videoId) ?? 0) > seq) continue;
          this.members.get(prevHome)!.delete(r.videoId);
        }
        seqOf.set(r.videoId, seq);
        loaded.set(r.videoId, r);
        this.home.set(r.videoId, h);
        this.members.get(h)!.add(r.videoId);
      }
    }
    this.index.load(loaded.values());
    // A task in the wrong kind of file (e.g. restored from an old layout) moves to the right one.
    for (const [id, h] of [...this.home]) {
      const r = loaded.get(id)!;
      if ((h === 'active') === isTerminal(r.status)) this.place(r);
    }
    if (this.dirty.size > 0) await this.flush();
    this.opts.logger.info('task store opened', { dataDir: this.opts.dataDir, tasks: this.index.size, segments: segments.size });
  }

  get(videoId: string): TaskRecord | undefined {
    return this.index.get(videoId);
  }

  list(q: TaskQuery): TaskPage {
    return this.index.list(q);
  }

  active(): TaskRecord[] {
    return [...this.members.get('active')!].map((id) => this.index.get(id)!);
  }

  stats() {
    return this.index.stats();
  }

  put(record: TaskRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the task store is closed'));
    if (!record || typeof record.videoId !== 'string' || record.videoId === '' || !TASK_STATUSES.includes(record.status)) {
      return Promise.reject(new AppError('BAD_REQUEST', 'a task needs a videoId and a known status', record?.videoId));
    }
    // A copy, so a caller mutating its object later cannot change what we hold or write.
    const r = { ...record };
    this.index.upsert(r);
    this.place(r);
    return this.enqueue();
  }

  delete(videoId: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the task store is closed'));
    const h = this.home.get(videoId);
    if (h === undefined) return Promise.resolve();
    this.members.get(h)!.delete(videoId);
    this.home.delete(videoId);
    this.index.remove(videoId);
    this.dirty.add(h);
    return this.enqueue();
  }

  async flush(): Promise<void> {
    for (;;) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (this.dirty.size === 0 && this.waiters.length === 0) return;
      this.cancelTimer();
      const err = await this.commit();
      if (err) throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.cancelTimer();
      await this.lock.release();
    }
  }

  /** Puts the task in the file its status belongs to and marks what must be rewritten. */
  private place(r: TaskRecord): void {
    const prev = this.home.get(r.videoId);
    let target: Home;
    if (!isTerminal(r.status)) target = 'active';
    else if (typeof prev === 'number') target = prev;
    else target = this.segmentWithRoom();
    if (prev !== undefined && prev !== target) {
      this.members.get(prev)!.delete(r.videoId);
      this.dirty.add(prev);
      if (typeof prev === 'number' && target === 'active') this.lostToActive.add(prev);
    }
    this.members.get(target)!.add(r.videoId);
    this.home.set(r.videoId, target);
    this.dirty.add(target);
  }

  private segmentWithRoom(): number {
    const n = this.newestSegment;
    // Never into a segment that is losing a task to the active file in this batch: it must be
    // written after the active file, and a task moving into it must be written before.
    if (n > 0 && this.members.get(n)!.size < this.segmentSize && !this.lostToActive.has(n)) return n;
    this.newestSegment = n + 1;
    this.files.set(n + 1, new Low<TaskFileData>(new DurableTaskFileAdapter(this.fileOf(n + 1), this.ops), emptyTaskFile()));
    this.members.set(n + 1, new Set());
    return n + 1;
  }

  private fileOf(h: Home): string {
    return h === 'active' ? path.join(this.opts.dataDir, ACTIVE_FILE) : path.join(this.archiveDir, segmentFileName(h));
  }

  private enqueue(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== null || this.writing || this.closed) return;
    if (this.dirty.size === 0 && this.waiters.length === 0) return;
    const delay = this.failures === 0 ? this.commitDelayMs : Math.min(MAX_RETRY_DELAY_MS, Math.max(this.commitDelayMs, 50) * 2 ** this.failures);
    const handle = this.clock.setTimeout(() => {
      this.timer = null;
      void this.commit();
    }, delay);
    // Someone awaits durability: keep the process alive until it is on disk. A bare retry does not.
    if (this.waiters.length > 0) (handle as { ref?: () => void } | null)?.ref?.();
    this.timer = handle;
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes one batch; returns its error (also given to its waiters), then schedules the next. */
  private async commit(): Promise<Error | null> {
    let done!: () => void;
    this.writing = new Promise<void>((r) => (done = r));
    const waiters = this.waiters;
    const dirty = this.dirty;
    const lost = this.lostToActive;
    this.waiters = [];
    this.dirty = new Set();
    this.lostToActive = new Set();
    // Gaining files before losing ones; newest segments first since new terminal tasks land there.
    const segments = [...dirty].filter((h): h is number => typeof h === 'number').sort((a, b) => b - a);
    const order: Home[] = [...segments.filter((s) => !lost.has(s)), ...(dirty.has('active') ? ['active' as const] : []), ...segments.filter((s) => lost.has(s))];
    // Snapshot every file's content now: puts arriving mid-batch belong to the next batch.
    const snapshots = order.map((h) => this.snapshot(h));
    let error: Error | null = null;
    for (let i = 0; i < order.length; i++) {
      const low = this.files.get(order[i])!;
      low.data = snapshots[i];
      try {
        await low.write();
      } catch (err) {
        error = this.describeWriteError(order[i], err);
        // Nothing after a failed file is written, so a moved task is never dropped from its old file first.
        for (const h of order.slice(i)) {
          this.dirty.add(h);
          if (typeof h === 'number' && lost.has(h)) this.lostToActive.add(h);
        }
        break;
      }
    }
    if (error) {
      this.failures++;
      this.opts.logger.error('could not save tasks; will retry', { err: error, failures: this.failures });
      for (const w of waiters) w.reject(error);
    } else {
      this.failures = 0;
      for (const w of waiters) w.resolve();
    }
    this.writing = null;
    done();
    this.schedule();
    return error;
  }

  private snapshot(h: Home): TaskFileData {
    const tasks = [...this.members.get(h)!].map((id) => this.index.get(id)!);
    return { version: STORE_SCHEMA_VERSION, writeSeq: ++this.writeSeq, tasks };
  }

  private describeWriteError(h: Home, err: unknown): Error {
    const e = err as NodeJS.ErrnoException;
    const detail = e.message ?? String(err);
    const why = e.code === 'ENOSPC' ? `the disk is full (${detail})` : detail;
    const out = new Error(`Could not save tasks to ${this.fileOf(h)}: ${why}. The change is kept in memory and will be retried.`, { cause: err });
    (out as NodeJS.ErrnoException).code = e.code;
    return out;
  }
}
