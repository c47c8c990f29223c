// Opening the task files: the active file (with its journal) and every archive segment, read a few at a
// time and parsed, each task put in the index as it is met (one pass), a copy left in two files by a crash
// resolved in favour of the later write, damage recovered and reported.
import { promises as fs } from 'node:fs';
import { isTerminal } from '@shared/contract/status';
import type { Logger } from '../log';
import type { TaskRecord } from './record';
import { DurableTaskFileAdapter, openTaskFile, recordProblem, type FileOps, type OpenedTaskFile } from './store-file';
import { ACTIVE_HOME, type Home, type TaskIndex } from './store-index';
import { previousJournalOf, readJournal, type Journal } from './store-journal';
import type { StoreOpenReport } from './task-store';

const SEGMENT_NAME = /^seg-(\d{6,})\.json(\.bak)?$/;
/** Task files read at the same time while opening. */
const READ_AHEAD = 4;

export interface LoadPlan {
  archiveDir: string;
  fileOf(h: Home): string;
  ops: FileOps;
  now(): number;
  logger: Logger;
  index: TaskIndex;
  journal: Journal;
  report: StoreOpenReport;
}

export interface LoadedFiles {
  files: Map<Home, DurableTaskFileAdapter>;
  /** The tasks of the active file and of the newest segment (the files written most). */
  activeIds: Set<string>;
  newestIds: Set<string>;
  newestSegment: number;
  writeSeq: number;
  activeFileBytes: number;
  /** Files to write again at once (migrated, recovered, or holding a copy that lost). */
  dirty: Set<Home>;
  /** Tasks in the wrong kind of file (e.g. restored from an old layout): to be moved. */
  misplaced: TaskRecord[];
}

/** fn over every item, at most `limit` at a time; the results in the items' order. */
async function mapInOrder<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The active tasks: the active file's, then the journal entries written after it, in order. */
async function activeTasks(p: LoadPlan, opened: OpenedTaskFile): Promise<{ tasks: Map<string, { r: TaskRecord; seq: number }>; lastSeq: number }> {
  const base = opened.data.writeSeq;
  const tasks = new Map<string, { r: TaskRecord; seq: number }>();
  for (const r of opened.data.tasks) tasks.set(r.videoId, { r, seq: base });
  const prevFile = previousJournalOf(p.journal.file);
  const [prev, current] = await Promise.all([readJournal(prevFile), readJournal(p.journal.file)]);
  p.journal.bytes = current.bytes;
  let lastSeq = base;
  let fromPrev = 0;
  let damaged = prev.damaged + current.damaged;
  for (const [source, entries] of [[prevFile, prev.entries], [p.journal.file, current.entries]] as const) {
    for (const e of entries) {
      if (e.seq <= base) continue;
      lastSeq = Math.max(lastSeq, e.seq);
      if (source === prevFile) fromPrev++;
      if (e.del !== undefined) tasks.delete(e.del);
      else if (recordProblem(e.put, 0)) damaged++;
      else tasks.set(e.put!.videoId, { r: e.put!, seq: e.seq });
    }
  }
  if (damaged > 0) p.logger.warn('the task journal had damaged lines; they were skipped', { file: p.journal.file, lines: damaged });
  // The active file was damaged and its last good copy is older: what came after it is in the set-aside journal.
  if (opened.recovered && fromPrev > 0 && !opened.recovered.restoredFrom) opened.recovered.restoredFrom = prevFile;
  return { tasks, lastSeq };
}

export async function loadTaskFiles(p: LoadPlan): Promise<LoadedFiles> {
  await fs.mkdir(p.archiveDir, { recursive: true });
  const numbers = new Set<number>();
  for (const name of await fs.readdir(p.archiveDir)) {
    const m = SEGMENT_NAME.exec(name);
    if (m) numbers.add(Number(m[1]));
  }
  const homes: Home[] = [ACTIVE_HOME, ...[...numbers].sort((a, b) => a - b)];
  const newestSegment = homes.length > 1 ? homes[homes.length - 1] : 0;
  // A few files read ahead (the disk waits overlap the parsing), never all at once: each file's bytes and
  // text are garbage once parsed, and holding all of them at the same time would leave the process larger.
  const opened = await mapInOrder(homes, READ_AHEAD, (h) => openTaskFile(p.fileOf(h), p.ops, p.now, p.logger));
  const out: LoadedFiles = {
    files: new Map(), activeIds: new Set(), newestIds: new Set(), newestSegment, writeSeq: 0,
    activeFileBytes: opened[0].adapter.bytesRead, dirty: new Set(), misplaced: [],
  };
  const active = await activeTasks(p, opened[0]);
  const seqOfHome = new Map<Home, number>();
  for (const [i, h] of homes.entries()) {
    const file = opened[i];
    out.files.set(h, file.adapter);
    if (file.recovered) {
      p.report.recovered.push(file.recovered);
      out.dirty.add(h);
    }
    if (file.migratedFrom !== null) {
      const prev = p.report.migratedFrom;
      p.report.migratedFrom = prev === null ? file.migratedFrom : Math.min(prev, file.migratedFrom);
      out.dirty.add(h);
    }
    const seq = h === ACTIVE_HOME ? active.lastSeq : file.data.writeSeq;
    seqOfHome.set(h, file.data.writeSeq);
    out.writeSeq = Math.max(out.writeSeq, seq);
    const records = h === ACTIVE_HOME ? [...active.tasks.values()].map((x) => x.r) : file.data.tasks;
    for (const r of records) {
      const earlier = p.index.add(r, h);
      if (earlier) {
        // Left in two files by a crash mid-batch: the later write is kept; both files are written again.
        out.dirty.add(earlier.home);
        out.dirty.add(h);
        const seqOf = (home: Home) => (home === ACTIVE_HOME ? active.tasks.get(r.videoId)!.seq : seqOfHome.get(home)!);
        if (seqOf(earlier.home) > seqOf(h)) {
          p.index.add(earlier.record, earlier.home);
          continue;
        }
      }
      if ((h === ACTIVE_HOME) === isTerminal(r.status)) out.misplaced.push(r);
    }
  }
  p.index.finishLoad();
  for (const id of active.tasks.keys()) if (p.index.homeOf(id) === ACTIVE_HOME) out.activeIds.add(id);
  if (newestSegment > 0) for (const r of opened[opened.length - 1].data.tasks) if (p.index.homeOf(r.videoId) === newestSegment) out.newestIds.add(r.videoId);
  out.misplaced = out.misplaced.filter((r) => p.index.get(r.videoId) === r);
  return out;
}
