// The TaskStore on lowdb's file adapter, with group commit.
//
// Layout (so one status update never re-serialises the whole history):
//   DIR/tasks-active.json          PENDING/QUEUED/PROCESSING tasks as of the last time it was written whole
//   DIR/tasks-active.journal       the changes to active tasks since then, a line each (store-journal.ts)
//   DIR/archive/seg-000001.json    terminal tasks, up to `segmentSize` (1000) each. A terminal task keeps its
//                                  segment; new ones fill the newest segment; a batch rewrites only the
//                                  segments it touched.
// Every file is {version, writeSeq, tasks}, written atomically with the previous good copy kept as .bak.
// A task moving between files is written to the file that gains it before the file that loses it, so a
// crash mid-batch can leave it in two files but never in none; on open the later write wins.
// Group commit (store-commit.ts): put()/delete() change memory at once and join the pending batch; a
// batch is written as soon as no write is in flight (one append or one write per touched file), then its
// promises settle. Task JSON text is cached for the active file and the newest segment, so a batch
// serialises only the tasks it changed.
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { TASK_STATUSES, isTerminal } from '@shared/contract/status';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import type { TaskRecord } from './record';
import { GroupCommit } from './store-commit';
import { DurableTaskFileAdapter, STORE_SCHEMA_VERSION, createNodeFileOps, describeWriteError, type FileOps } from './store-file';
import { ACTIVE_HOME, TaskIndex, type Home } from './store-index';
import { delLine, Journal, putLine } from './store-journal';
import { loadTaskFiles } from './store-load';
import type { StoreOpenReport, TaskPage, TaskQuery, TaskStore } from './task-store';

export const ACTIVE_FILE = 'tasks-active.json';
export const ARCHIVE_DIR = 'archive';

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

export function segmentFileName(n: number): string {
  return `seg-${String(n).padStart(6, '0')}.json`;
}

export async function openTaskStore(opts: TaskStoreOptions): Promise<TaskStore> {
  const lock = await acquireDataDirLock(opts.dataDir, { logger: opts.logger });
  const store = new FileTaskStore(opts, lock);
  try {
    await store.load();
    return store;
  } catch (err) {
    await store.letGo();
    throw err;
  }
}

/** One file's write in a batch, prepared when the batch starts. */
type Write = { home: Home; text: string; journal: boolean };

class FileTaskStore implements TaskStore {
  readonly openReport: StoreOpenReport = { recovered: [], migratedFrom: null };
  private readonly index = new TaskIndex();
  private files = new Map<Home, DurableTaskFileAdapter>();
  /** Who is in the active file and the newest segment (other segments are found through the index). */
  private readonly hot = new Map<Home, Set<string>>();
  /** JSON text of the tasks in the hot files; dropped when a task changes. */
  private readonly json = new Map<string, string>();
  private readonly clock: Clock;
  private readonly ops: FileOps;
  private readonly nodeOps = createNodeFileOps();
  private readonly journal: Journal;
  private readonly segmentSize: number;
  private readonly archiveDir: string;
  private dirty = new Set<Home>();
  /** Segments that lost a task to the active file in the pending batch: written after it. */
  private lostToActive = new Set<number>();
  /** Active tasks changed (or gone from the active file) since its last write: the journal's next lines. */
  private activeChanges = new Set<string>();
  /** The active file is to be written whole next (not journalled). */
  private rewriteActive = false;
  private activeFileBytes = 0;
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
    this.ops = { ...this.nodeOps, ...opts.fileOps };
    this.segmentSize = opts.segmentSize ?? 1000;
    this.archiveDir = path.join(opts.dataDir, ARCHIVE_DIR);
    this.journal = new Journal(this.fileOf(ACTIVE_HOME), this.ops);
    this.commits = new GroupCommit({
      clock: this.clock,
      delayMs: opts.commitDelayMs ?? 0,
      writeBatch: () => this.writeBatch(),
      hasPendingChanges: () => this.dirty.size > 0,
    });
  }

  async load(): Promise<void> {
    const loaded = await loadTaskFiles({
      archiveDir: this.archiveDir, fileOf: (h) => this.fileOf(h), ops: this.ops, now: () => this.clock.now(),
      logger: this.opts.logger, index: this.index, journal: this.journal, report: this.openReport,
    });
    this.files = loaded.files;
    this.hot.set(ACTIVE_HOME, loaded.activeIds);
    if (loaded.newestSegment > 0) this.hot.set(loaded.newestSegment, loaded.newestIds);
    this.newestSegment = loaded.newestSegment;
    this.writeSeq = loaded.writeSeq;
    this.activeFileBytes = loaded.activeFileBytes;
    this.dirty = loaded.dirty;
    // Whatever made the active file need writing at open (damage, a migration, a lost copy) is fixed by a
    // whole write; and a journal starts from an active file that exists.
    this.rewriteActive = this.dirty.has(ACTIVE_HOME) || this.activeFileBytes === 0;
    for (const r of loaded.misplaced) this.place(r, false);
    if (this.dirty.size > 0) await this.flush();
    this.opts.logger.info('task store opened', { dataDir: this.opts.dataDir, tasks: this.index.size, segments: this.files.size - 1 });
  }

  get(videoId: string): TaskRecord | undefined {
    return this.index.get(videoId);
  }

  list(q: TaskQuery): TaskPage {
    return this.index.list(q);
  }

  active(): TaskRecord[] {
    return [...this.hot.get(ACTIVE_HOME)!].map((id) => this.index.get(id)!);
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
    this.place(r, true);
    return this.commits.join();
  }

  delete(videoId: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the task store is closed'));
    const h = this.index.homeOf(videoId);
    if (h === undefined) return Promise.resolve();
    this.hot.get(h)?.delete(videoId);
    this.index.remove(videoId);
    this.json.delete(videoId);
    this.dirty.add(h);
    if (h === ACTIVE_HOME) this.activeChanges.add(videoId);
    return this.commits.join();
  }

  flush(): Promise<void> {
    return this.commits.flush();
  }

  nextWrite(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the task store is closed'));
    return this.commits.join();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
      // A store closed cleanly leaves everything in its files, the journal folded in.
      if (this.journal.bytes > 0) {
        this.rewriteActive = true;
        this.dirty.add(ACTIVE_HOME);
        await this.flush();
      }
    } finally {
      this.closed = true;
      this.commits.stop();
      await this.letGo();
    }
  }

  /** Releases what the store holds open: directory and journal handles, and the data-dir lock. */
  async letGo(): Promise<void> {
    await this.nodeOps.close();
    await this.lock.release();
  }

  /** Puts the task in the file its status belongs to (into the index too when `changed`) and marks what must be written. */
  private place(r: TaskRecord, changed: boolean): void {
    const id = r.videoId;
    const prev = this.index.homeOf(id);
    let target: Home;
    if (!isTerminal(r.status)) target = ACTIVE_HOME;
    else if (prev !== undefined && prev !== ACTIVE_HOME) target = prev;
    else target = this.segmentWithRoom();
    if (changed) this.index.upsert(r, target);
    else this.index.setHome(id, target);
    if (prev !== undefined && prev !== target) {
      this.hot.get(prev)?.delete(id);
      this.dirty.add(prev);
      if (prev !== ACTIVE_HOME && target === ACTIVE_HOME) this.lostToActive.add(prev);
    }
    this.hot.get(target)?.add(id);
    this.dirty.add(target);
    if (target === ACTIVE_HOME || prev === ACTIVE_HOME) this.activeChanges.add(id);
  }

  private segmentWithRoom(): number {
    const n = this.newestSegment;
    // Never into a segment that is losing a task to the active file in this batch: it must be
    // written after the active file, and a task moving into it must be written before.
    if (n > 0 && this.hot.get(n)!.size < this.segmentSize && !this.lostToActive.has(n)) return n;
    if (n > 0) {
      // The full segment is written rarely from now on: it is found through the index, its text not kept.
      for (const id of this.hot.get(n)!) this.json.delete(id);
      this.hot.delete(n);
    }
    this.newestSegment = n + 1;
    this.files.set(n + 1, new DurableTaskFileAdapter(this.fileOf(n + 1), this.ops));
    this.hot.set(n + 1, new Set());
    return n + 1;
  }

  private fileOf(h: Home): string {
    return h === ACTIVE_HOME ? path.join(this.opts.dataDir, ACTIVE_FILE) : path.join(this.archiveDir, segmentFileName(h));
  }

  /** Writes the pending batch: gaining files before losing ones, stopping at the first failure. */
  private async writeBatch(): Promise<Error | null> {
    const dirty = this.dirty;
    const lost = this.lostToActive;
    const changes = this.activeChanges;
    this.dirty = new Set();
    this.lostToActive = new Set();
    this.activeChanges = new Set();
    // Newest segments first: new terminal tasks land there (see place()).
    const segments = [...dirty].filter((h) => h !== ACTIVE_HOME).sort((a, b) => b - a);
    const order: Home[] = [...segments.filter((s) => !lost.has(s)), ...(dirty.has(ACTIVE_HOME) ? [ACTIVE_HOME] : []), ...segments.filter((s) => lost.has(s))];
    // Every file's content is taken now: puts arriving mid-batch belong to the next batch.
    const writes = order.map((h) => (h === ACTIVE_HOME ? this.activeWrite(changes) : { home: h, text: this.snapshot(h), journal: false }));
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i];
      try {
        if (w.journal) {
          if (w.text) await this.journal.append(w.text);
        } else {
          await this.files.get(w.home)!.writeText(w.text);
          if (w.home === ACTIVE_HOME) {
            this.activeFileBytes = w.text.length;
            this.rewriteActive = false;
            await this.journal.setAside();
          }
        }
      } catch (err) {
        // Nothing after a failed file is written, so a moved task is never dropped from its old file first.
        for (const h of order.slice(i)) {
          this.dirty.add(h);
          if (lost.has(h)) this.lostToActive.add(h);
        }
        if (order.slice(i).includes(ACTIVE_HOME)) for (const id of changes) this.activeChanges.add(id);
        const error = describeWriteError(this.fileOf(w.home), err);
        this.failures++;
        this.opts.logger.error('could not save tasks; will retry', { err: error, failures: this.failures });
        return error;
      }
    }
    this.failures = 0;
    return null;
  }

  /**
   * The active file's part of a batch: journal lines for what changed; or the whole file when these
   * lines would take the journal past its size (then one write instead of the lines now and the file next).
   */
  private activeWrite(changes: Set<string>): Write {
    if (!this.rewriteActive) {
      const seq = ++this.writeSeq;
      let text = '';
      for (const id of changes) text += this.index.homeOf(id) === ACTIVE_HOME ? putLine(seq, this.jsonOf(id, true)) : delLine(seq, id);
      if (!this.journal.wantsFold(this.activeFileBytes, text.length)) return { home: ACTIVE_HOME, text, journal: true };
    }
    return { home: ACTIVE_HOME, text: this.snapshot(ACTIVE_HOME), journal: false };
  }

  private jsonOf(id: string, keep: boolean): string {
    let text = this.json.get(id);
    if (text === undefined) {
      text = JSON.stringify(this.index.get(id));
      if (keep) this.json.set(id, text);
    }
    return text;
  }

  /** The file's text: exactly JSON.stringify({version, writeSeq, tasks}), from cached task text where kept. */
  private snapshot(h: Home): string {
    const members = this.hot.get(h);
    const parts: string[] = [];
    for (const id of members ?? this.index.idsIn(h)) parts.push(this.jsonOf(id, members !== undefined));
    return `{"version":${STORE_SCHEMA_VERSION},"writeSeq":${++this.writeSeq},"tasks":[${parts.join(',')}]}`;
  }

}
