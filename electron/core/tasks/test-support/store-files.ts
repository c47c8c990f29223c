// Temp data dirs and on-disk inspection for the store's tests.
import { existsSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TaskRecord } from '../record';
import type { FileOps } from '../store-file';
import { journalFileOf } from '../store-journal';

export async function makeTempDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'soradesk-store-'));
}

/**
 * The tasks a store file holds on disk right now (read synchronously, bypassing the store): for the
 * active file, with the changes its journal holds since it was last written whole.
 */
export function tasksOnDisk(file: string): TaskRecord[] {
  const journal = journalFileOf(file);
  const { writeSeq, tasks } = existsSync(file) || !existsSync(journal)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { writeSeq: number; tasks: TaskRecord[] })
    : { writeSeq: 0, tasks: [] };
  if (!existsSync(journal)) return tasks;
  const byId = new Map(tasks.map((t) => [t.videoId, t]));
  for (const line of readFileSync(journal, 'utf8').split('\n').filter(Boolean)) {
    let e: { seq: number; put?: TaskRecord; del?: string };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue; // a line a crash or a full disk cut short: never acknowledged, as the store reads it
    }
    if (e.seq <= writeSeq) continue;
    if (e.put) byId.set(e.put.videoId, e.put);
    else byId.delete(e.del!);
  }
  return [...byId.values()];
}

/** A disk that can be made full: every write and append fails with ENOSPC while `full` is set. */
export function fillableDisk(): { ops: Partial<FileOps>; full: boolean } {
  const disk = {
    full: false,
    ops: {
      async writeFile(file: string, data: string) {
        if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await fs.writeFile(file, data);
      },
      async append(file: string, data: string) {
        if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await fs.appendFile(file, data);
      },
    } satisfies Partial<FileOps>,
  };
  return disk;
}

/** Counts completed writes per file name: a whole file renamed into place, or an append to a journal. */
export function countingFileOps(): { ops: Partial<FileOps>; writes: Map<string, number>; total(): number } {
  const writes = new Map<string, number>();
  const count = (file: string) => writes.set(path.basename(file), (writes.get(path.basename(file)) ?? 0) + 1);
  return {
    writes,
    total: () => [...writes.values()].reduce((a, b) => a + b, 0),
    ops: {
      async rename(from, to) {
        await fs.rename(from, to);
        if (from.endsWith('.tmp') && !to.endsWith('.bak')) count(to);
      },
      async append(file, data) {
        await fs.appendFile(file, data);
        count(file);
      },
    },
  };
}
