// The batches, kept in `batches.json` in the data dir: each batch's name, its tasks in item order (the
// order they were created in) and whether it is paused or cancelled. Counts are never stored: they come
// from the tasks. Written whole (a temp file flushed, renamed over it, the folder flushed), one write at a
// time; a file this version cannot read is set aside and the app starts without batches, and says so.
import fs from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';

export const BATCHES_FILE = 'batches.json';

export interface BatchRecord {
  id: string;
  name: string | null;
  createdAt: string;
  paused: boolean;
  cancelled: boolean;
  /** Its tasks in creation order. */
  taskIds: string[];
  /** FAILED tasks already sent again by retryBatch (absent: none). */
  retriedIds?: string[];
}

function isBatchRecord(x: unknown): x is BatchRecord {
  const b = x as BatchRecord;
  return !!b && typeof b.id === 'string' && (b.name === null || typeof b.name === 'string') && typeof b.createdAt === 'string'
    && typeof b.paused === 'boolean' && typeof b.cancelled === 'boolean' && Array.isArray(b.taskIds) && b.taskIds.every((t) => typeof t === 'string');
}

export interface BatchStore {
  readonly batches: Map<string, BatchRecord>;
  /** Resolves once the current state is on disk. */
  save(): Promise<void>;
  /** Problems found when reading (a file set aside), for a notice. */
  readonly problem: string | null;
}

/** `dataDir` null: kept in memory only (tests of parts that do not restart). */
export function openBatchStore(dataDir: string | null, logger: Logger): BatchStore {
  const batches = new Map<string, BatchRecord>();
  let problem: string | null = null;
  const file = dataDir ? path.join(dataDir, BATCHES_FILE) : null;
  if (file) {
    let text: string | null = null;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      text = null;
    }
    if (text !== null) {
      try {
        const data = JSON.parse(text) as { version?: unknown; batches?: unknown };
        if (data.version !== 1 || !Array.isArray(data.batches)) throw new Error('not a batches file of version 1');
        for (const b of data.batches) if (isBatchRecord(b)) batches.set(b.id, b);
      } catch (err) {
        const aside = `${file}.corrupt-${Date.now()}`;
        fs.renameSync(file, aside);
        problem = `The batches file was unreadable (${(err as Error).message}); it was kept as ${path.basename(aside)}. Its tasks are kept, without their batch.`;
        logger.warn('batches file unreadable; set aside', { file: aside });
      }
    }
  }

  let chain: Promise<void> = Promise.resolve();
  async function write(): Promise<void> {
    if (!file) return;
    const tmp = `${file}.${process.pid}.tmp`;
    const text = JSON.stringify({ version: 1, batches: [...batches.values()] });
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.datasync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const dir = await open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  return {
    batches,
    problem,
    save() {
      const run = chain.then(write);
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
