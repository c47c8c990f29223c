// One task file on disk: a lowdb Adapter that writes atomically (temp file, fsync, rename, fsync
// the dir) and keeps the previous good write as `.bak`; reading checks the shape and runs the
// schema migrations; opening recovers a corrupt file instead of wiping it.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { AppError } from '@shared/contract/errors';
import { TASK_STATUSES } from '@shared/contract/status';
import type { Logger } from '../log';
import type { TaskRecord } from './record';
import type { StoreOpenReport } from './task-store';

export const STORE_SCHEMA_VERSION = 1;

export interface TaskFileData {
  version: number;
  /** Store-wide write counter: when a crash leaves a task in two files, the later write wins. */
  writeSeq: number;
  tasks: TaskRecord[];
}

/** The filesystem calls a write makes; injectable so a full disk can be simulated in tests. */
export interface FileOps {
  /** Writes the whole file and flushes it to the disk. */
  writeFile(file: string, data: string): Promise<void>;
  /** Appends to the file (made if missing) and flushes it to the disk. */
  append(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  fsyncDir(dir: string): Promise<void>;
}

/**
 * The real calls. Every call is a trip to libuv's thread pool, so a write makes as few as it can: the
 * text in one write(), fdatasync (the data and the size, all a reader needs), and the directories kept
 * open for their fsync (`close()` lets them go).
 */
export function createNodeFileOps(): FileOps & { close(): Promise<void> } {
  const dirs = new Map<string, Promise<FileHandle>>();
  /** Files appended to, kept open until they are renamed or the store closes. */
  const appending = new Map<string, Promise<FileHandle>>();
  const letGo = async (handles: Map<string, Promise<FileHandle>>, key?: string) => {
    const open = key === undefined ? [...handles.values()] : [handles.get(key)].filter((h) => h !== undefined);
    if (key === undefined) handles.clear();
    else handles.delete(key);
    await Promise.all(open.map((h) => h.then((x) => x.close(), () => undefined)));
  };
  return {
    async writeFile(file, data) {
      const fh = await fs.open(file, 'w', 0o600);
      try {
        const bytes = Buffer.from(data, 'utf8');
        for (let at = 0; at < bytes.length; ) at += (await fh.write(bytes, at)).bytesWritten;
        await fh.datasync();
      } finally {
        await fh.close();
      }
    },
    async append(file, data) {
      let handle = appending.get(file);
      if (!handle) appending.set(file, (handle = fs.open(file, 'a', 0o600)));
      try {
        const fh = await handle;
        const bytes = Buffer.from(data, 'utf8');
        for (let at = 0; at < bytes.length; ) at += (await fh.write(bytes, at)).bytesWritten;
        await fh.datasync();
      } catch (err) {
        await letGo(appending, file);
        throw err;
      }
    },
    async rename(from, to) {
      // A file still open for appending would take later appends under its new name.
      await letGo(appending, from);
      await fs.rename(from, to);
    },
    link: (existing, newPath) => fs.link(existing, newPath),
    async fsyncDir(dir) {
      let handle = dirs.get(dir);
      if (!handle) dirs.set(dir, (handle = fs.open(dir, 'r')));
      try {
        await (await handle).sync();
      } catch (err) {
        await letGo(dirs, dir);
        throw err;
      }
    },
    async close() {
      await Promise.all([letGo(dirs), letGo(appending)]);
    },
  };
}

/**
 * Upgrades file content from version N to N+1. Version 0 is content written before files were
 * versioned: a bare array of tasks or `{tasks}`.
 */
export const MIGRATIONS: Record<number, (data: unknown) => unknown> = {
  0: (data) => ({
    version: 1,
    writeSeq: 0,
    tasks: Array.isArray(data) ? data : (data as { tasks?: unknown }).tasks,
  }),
};

export class CorruptTaskFileError extends Error {}

export class NewerTaskFileError extends Error {}

const STATUSES = new Set<string>(TASK_STATUSES);

/** What is wrong with a stored task, or null. */
export function recordProblem(r: unknown, i: number): string | null {
  if (!r || typeof r !== 'object') return `task ${i} is not an object`;
  const t = r as Record<string, unknown>;
  if (typeof t.videoId !== 'string' || t.videoId === '') return `task ${i} has no videoId`;
  if (typeof t.status !== 'string' || !STATUSES.has(t.status)) return `task ${t.videoId} has an unknown status`;
  if (typeof t.createdAt !== 'string') return `task ${t.videoId} has no createdAt`;
  if (typeof t.prompt !== 'string') return `task ${t.videoId} has no prompt`;
  return null;
}

/** Parses, migrates and checks a file's text. Throws CorruptTaskFileError or NewerTaskFileError. */
export function parseTaskFile(text: string, file: string): { data: TaskFileData; migratedFrom: number | null } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CorruptTaskFileError(`not valid JSON (${(err as Error).message})`);
  }
  const versionOf = (v: unknown): number =>
    v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { version?: unknown }).version === 'number'
      ? (v as { version: number }).version
      : 0;
  const from = versionOf(raw);
  if (from > STORE_SCHEMA_VERSION) {
    throw new NewerTaskFileError(
      `${file} was written by a newer SoraDesk (schema version ${from}; this one reads up to ${STORE_SCHEMA_VERSION}). ` +
        'Refusing to open it so nothing is lost; update SoraDesk.',
    );
  }
  if (!Number.isInteger(from) || from < 0) throw new CorruptTaskFileError(`bad schema version ${String(from)}`);
  if (from === 0 && (raw === null || typeof raw !== 'object')) throw new CorruptTaskFileError('not a task file');
  for (let v = from; v < STORE_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new CorruptTaskFileError(`no migration from schema version ${v}`);
    raw = step(raw);
  }
  const d = raw as Partial<TaskFileData>;
  if (!Array.isArray(d.tasks)) throw new CorruptTaskFileError('wrong shape: no task list');
  if (typeof d.writeSeq !== 'number') throw new CorruptTaskFileError('wrong shape: no writeSeq');
  for (let i = 0; i < d.tasks.length; i++) {
    const problem = recordProblem(d.tasks[i], i);
    if (problem) throw new CorruptTaskFileError(`wrong shape: ${problem}`);
  }
  return { data: d as TaskFileData, migratedFrom: from === STORE_SCHEMA_VERSION ? null : from };
}

/**
 * A file's text, or null when it does not exist. Read as bytes and decoded here: with
 * fs.readFile(file, 'utf8') a store of 100,000 tasks stayed about 160 MiB larger in memory after opening.
 */
export async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, (err) => (isEnoent(err) ? false : Promise.reject(err)));
}

const isEnoent = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

export class DurableTaskFileAdapter implements Adapter<TaskFileData> {
  migratedFrom: number | null = null;
  /** Length of the text last read. */
  bytesRead = 0;

  constructor(
    readonly file: string,
    private readonly ops: FileOps,
  ) {}

  async read(): Promise<TaskFileData | null> {
    const text = await readTextOrNull(this.file);
    if (text === null) return null;
    this.bytesRead = text.length;
    const { data, migratedFrom } = parseTaskFile(text, this.file);
    this.migratedFrom = migratedFrom;
    return data;
  }

  write(data: TaskFileData): Promise<void> {
    return this.writeText(JSON.stringify(data));
  }

  /** Writes the file's text as it is (the store serialises it, from cached task text). */
  async writeText(text: string): Promise<void> {
    const tmp = `${this.file}.tmp`;
    // The new copy is written while the current one becomes .bak: neither waits for the other, and
    // both are done before the new copy takes the name.
    const [written, kept] = await Promise.allSettled([this.ops.writeFile(tmp, text), this.keepBackup()]);
    if (written.status === 'rejected') throw written.reason;
    if (kept.status === 'rejected') throw kept.reason;
    await this.ops.rename(tmp, this.file);
    await this.ops.fsyncDir(path.dirname(this.file));
  }

  /**
   * The current good copy becomes .bak through a hard link renamed into place, so a .bak that existed
   * never goes missing, even if we crash between these steps.
   */
  private async keepBackup(): Promise<void> {
    const staging = `${this.file}.bak.tmp`;
    try {
      await this.ops.link(this.file, staging).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
        // Left by a crash between these two steps: it is an older copy, replaced now.
        await fs.unlink(staging);
        await this.ops.link(this.file, staging);
      });
      await this.ops.rename(staging, `${this.file}.bak`);
    } catch (err) {
      if (!isEnoent(err)) throw err;
    }
  }
}

export function emptyTaskFile(): TaskFileData {
  return { version: STORE_SCHEMA_VERSION, writeSeq: 0, tasks: [] };
}

export interface OpenedTaskFile {
  adapter: DurableTaskFileAdapter;
  data: TaskFileData;
  recovered: StoreOpenReport['recovered'][number] | null;
  migratedFrom: number | null;
}

/**
 * Opens one task file. A corrupt or truncated file is moved to `<file>.corrupt-<time>` and the
 * `.bak` copy restored (or, with no good copy, the file starts empty); either way it is reported.
 */
export async function openTaskFile(file: string, ops: FileOps, now: () => number, logger: Logger): Promise<OpenedTaskFile> {
  const adapter = new DurableTaskFileAdapter(file, ops);
  const low = new Low<TaskFileData>(adapter, emptyTaskFile());
  let reason: string;
  let movedTo: string | null = null;
  try {
    await low.read();
    if (low.data.tasks.length > 0 || (await exists(file)) || !(await exists(`${file}.bak`))) {
      return { adapter, data: low.data, recovered: null, migratedFrom: adapter.migratedFrom };
    }
    reason = 'file missing while its .bak exists';
  } catch (err) {
    if (!(err instanceof CorruptTaskFileError)) throw err;
    reason = err.message;
    movedTo = `${file}.corrupt-${now()}`;
    await fs.rename(file, movedTo);
  }

  const bak = `${file}.bak`;
  let restoredFrom: string | null = null;
  let migratedFrom: number | null = null;
  low.data = emptyTaskFile();
  const bakText = await readTextOrNull(bak);
  if (bakText !== null) {
    try {
      const parsed = parseTaskFile(bakText, bak);
      low.data = parsed.data;
      migratedFrom = parsed.migratedFrom;
      restoredFrom = bak;
    } catch (err) {
      if (err instanceof NewerTaskFileError) throw err;
      reason += `; ${bak} is unusable too (${(err as Error).message})`;
    }
  }
  if (restoredFrom) await low.write();
  const recovered = { file, movedTo: movedTo ?? '', restoredFrom, reason };
  logger.warn('task file was damaged and has been recovered', { ...recovered });
  return { adapter, data: low.data, recovered, migratedFrom };
}

/** A failed write as the client is told it: an AppError naming the file and why (a full disk said so). */
export function describeWriteError(file: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  const detail = e.message ?? String(err);
  const why = e.code === 'ENOSPC' ? `the disk is full (${detail})` : detail;
  // Its code stays INTERNAL: the fault is ours, not the request's.
  const out = new AppError('INTERNAL', `Could not save tasks to ${file}: ${why}.`);
  return Object.assign(out, { cause: err, errno: e.code });
}
