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
// Group commit (store-commit.ts): put()/delete() change memory at once and join the pending batch; a
// batch is written as soon as no write is in flight (one write per touched file), then its promises
// settle. The files written most (the active file and the newest segment) are serialised from each
// task's cached JSON text, so a batch re-serialises only the tasks it changed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { TASK_STATUSES, isTerminal } from '@shared/contract/status';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import type { TaskRecord } from './record';
import {
  DurableTaskFileAdapter,
  STORE_SCHEMA_VERSION,
  nodeFileOps,
  openTaskFile,
  type FileOps,
} from './store-file';
import { GroupCommit } from './store-commit';
import { TaskIndex } from './store-index';
import type { StoreOpenReport, TaskPage, TaskQuery, TaskStore } from './task-store';

export const ACTIVE_FILE = 'tasks-active.json';
export const ARCHIVE_DIR = 'archive';
const SEGMENT_NAME = /^seg-(\d{6,})\.json(\.bak)?$/;

export interface TaskStoreOptions {
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  /** Extra time a batch gathers changes before it is written (default 0: written once no write is in flight). */
  commitDelayMs?: number;
  /** Terminal tasks per archive file. */
  segmentSize?: number;
  /** Filesystem seam for writes (tests simulate a full disk with it). */
  fileOps?: Partial<FileOps>;
}

/** Where a task lives: the active file or an archive segment number. */
type Home = 'active' | number;

export function segmentFileName(n: number): string {
  return `seg-${String(n).padStart(6, '0')}.json`;
}

export async function openTaskStore(opts: TaskStoreOptions): Promise<TaskStore> {
  const lock = await acquireDataDirLock(opts.dataDir, { logger: opts.logger });
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
  private readonly files = new Map<Home, DurableTaskFileAdapter>();
  /** JSON text of the tasks in the hot files (active, newest segment); dropped when a task changes. */
  private readonly json = new Map<string, string>();
  private readonly clock: Clock;
  private readonly ops: FileOps;
  private readonly segmentSize: number;
  private readonly archiveDir: string;
  private dirty = new Set<Home>();
  /** Segments that lost a task to the active file in the pending batch: written after it. */
  private lostToActive = new Set<number>();
  private readonly commits: GroupCommit;
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
    this.segmentSize = opts.segmentSize ?? 1000;
    this.archiveDir = path.join(opts.dataDir, ARCHIVE_DIR);
    this.commits = new GroupCommit({
      clock: this.clock,
      delayMs: opts.commitDelayMs ?? 0,
      writeBatch: () => this.writeBatch(),
      hasPendingChanges: () => this.dirty.size > 0,
    });
  }

  async load(): Promise<void> {
    await fs.mkdir(this.archiveDir, { recursive: true });
    const segments = new Set<number>();
    for (const name of await fs.readdir(this.archiveDir)) {
      const m = SEGMENT_NAME.exec(name);
      if (m) segments.add(Number(m[1]));
    }
    const homes: Home[] = ['active', ...[...segments].sort((a, b) => a - b)];
    // Read in parallel (the disk waits overlap), each parsed as it arrives; merged below in a fixed order.
    const openedAll = await Promise.all(homes.map((h) => openTaskFile(this.fileOf(h), this.ops, () => this.clock.now(), this.opts.logger)));
    const seqOfHome = new Map<Home, number>();
    const records: TaskRecord[] = [];
    const misplaced: TaskRecord[] = [];
    for (const [i, h] of homes.entries()) {
      const opened = openedAll[i];
      this.files.set(h, opened.adapter);
      const mine = new Set<string>();
      this.members.set(h, mine);
      if (opened.recovered) this.openReport.recovered.push(opened.recovered);
      if (opened.migratedFrom !== null) {
        const prev = this.openReport.migratedFrom;
        this.openReport.migratedFrom = prev === null ? opened.migratedFrom : Math.min(prev, opened.migratedFrom);
        this.dirty.add(h);
      }
      const seq = opened.data.writeSeq;
      seqOfHome.set(h, seq);
      this.writeSeq = Math.max(this.writeSeq, seq);
      if (typeof h === 'number') this.newestSegment = Math.max(this.newestSegment, h);
      const activeFile = h === 'active';
      // One pass: where each task lives, and the records the index is built from.
      for (const r of opened.data.tasks) {
        const prevHome = this.home.get(r.videoId);
        if (prevHome !== undefined) {
          // Left in two files by a crash mid-batch: keep the later write, drop the other copy.
          this.dirty.add(prevHome);
          this.dirty.add(h);
          if (seqOfHome.get(prevHome)! > seq) continue;
          this.members.get(prevHome)!.delete(r.videoId);
        }
        this.home.set(r.videoId, h);
        mine.add(r.videoId);
        records.push(r);
        if (activeFile === isTerminal(r.status)) misplaced.push(r);
      }
    }
    // Of two copies the later in `records` is the one kept (see above), as the index keeps the last.
    this.index.load(records);
    // A task in the wrong kind of file (e.g. restored from an old layout) moves to the right one.
    for (const r of misplaced) if (this.index.get(r.videoId) === r) this.place(r);
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
    this.json.delete(r.videoId);
    this.index.upsert(r);
    this.place(r);
    return this.commits.join();
  }

  delete(videoId: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the task store is closed'));
    const h = this.home.get(videoId);
    if (h === undefined) return Promise.resolve();
    this.members.get(h)!.delete(videoId);
    this.home.delete(videoId);
    this.json.delete(videoId);
    this.index.remove(videoId);
    this.dirty.add(h);
    return this.commits.join();
  }

  flush(): Promise<void> {
    return this.commits.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.commits.stop();
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
    // The full segment is written rarely from now on: its tasks' cached text is let go.
    if (n > 0) for (const id of this.members.get(n)!) this.json.delete(id);
    this.files.set(n + 1, new DurableTaskFileAdapter(this.fileOf(n + 1), this.ops));
    this.members.set(n + 1, new Set());
    return n + 1;
  }

  private fileOf(h: Home): string {
    return h === 'active' ? path.join(this.opts.dataDir, ACTIVE_FILE) : path.join(this.archiveDir, segmentFileName(h));
  }

  /** Writes the pending batch: gaining files before losing ones, stopping at the first failure. */
  private async writeBatch(): Promise<Error | null> {
    const dirty = this.dirty;
    const lost = this.lostToActive;
    this.dirty = new Set();
    this.lostToActive = new Set();
    // Newest segments first: new terminal tasks land there (see place()).
    const segments = [...dirty].filter((h): h is number => typeof h === 'number').sort((a, b) => b - a);
    const order: Home[] = [...segments.filter((s) => !lost.has(s)), ...(dirty.has('active') ? ['active' as const] : []), ...segments.filter((s) => lost.has(s))];
    // Snapshot every file's content now: puts arriving mid-batch belong to the next batch.
    const snapshots = order.map((h) => this.snapshot(h));
    for (let i = 0; i < order.length; i++) {
      try {
        await this.files.get(order[i])!.writeText(snapshots[i]);
      } catch (err) {
        // Nothing after a failed file is written, so a moved task is never dropped from its old file first.
        for (const h of order.slice(i)) {
          this.dirty.add(h);
          if (typeof h === 'number' && lost.has(h)) this.lostToActive.add(h);
        }
        const error = this.describeWriteError(order[i], err);
        this.failures++;
        this.opts.logger.error('could not save tasks; will retry', { err: error, failures: this.failures });
        return error;
      }
    }
    this.failures = 0;
    return null;
  }

  /** The file's text: exactly JSON.stringify({version, writeSeq, tasks}), from cached task text where kept. */
  private snapshot(h: Home): string {
    const hot = h === 'active' || h === this.newestSegment;
    const parts: string[] = [];
    for (const id of this.members.get(h)!) {
      let text = hot ? this.json.get(id) : undefined;
      if (text === undefined) {
        text = JSON.stringify(this.index.get(id));
        if (hot) this.json.set(id, text);
      }
      parts.push(text);
    }
    return `{"version":${STORE_SCHEMA_VERSION},"writeSeq":${++this.writeSeq},"tasks":[${parts.join(',')}]}`;
  }

  private describeWriteError(h: Home, err: unknown): Error {
    const e = err as NodeJS.ErrnoException;
    const detail = e.message ?? String(err);
    const why = e.code === 'ENOSPC' ? `the disk is full (${detail})` : detail;
    // An AppError, so a client is told why (its code stays INTERNAL: the fault is ours, not the request's).
    const out = new AppError('INTERNAL', `Could not save tasks to ${this.fileOf(h)}: ${why}.`);
    return Object.assign(out, { cause: err, errno: e.code });
  }
}
