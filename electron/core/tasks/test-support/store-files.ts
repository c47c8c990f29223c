// Temp data dirs and on-disk inspection for the store's tests.
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TaskRecord } from '../record';
import type { FileOps } from '../store-file';

export async function makeTempDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'soradesk-store-'));
}

/** The tasks a store file holds on disk right now (read synchronously, bypassing the store). */
export function tasksOnDisk(file: string): TaskRecord[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { tasks: TaskRecord[] }).tasks;
}

/** Counts completed file writes (the rename of the temp file into place) per file name. */
export function countingFileOps(): { ops: Partial<FileOps>; writes: Map<string, number>; total(): number } {
  const writes = new Map<string, number>();
  return {
    writes,
    total: () => [...writes.values()].reduce((a, b) => a + b, 0),
    ops: {
      async rename(from, to) {
        await fs.rename(from, to);
        if (from.endsWith('.tmp') && !to.endsWith('.bak')) writes.set(path.basename(to), (writes.get(path.basename(to)) ?? 0) + 1);
      },
    },
  };
}
