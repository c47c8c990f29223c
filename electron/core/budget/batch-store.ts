// The batches, kept in `batches.json` in the data dir: each batch's name, its tasks in item order (the
// order they were created in) and whether it is paused or cancelled. Counts are never stored: they come
// from the tasks. Written whole (a temp file flushed, renamed over it, the folder flushed), one write at a
// time; a file this version cannot read is set aside and the app starts without batches, and says so.
import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import { createNodeFileOps } from '../tasks/store-file';

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
  isPaused(batchId: string): boolean;
  /** Lets go of the folder handle kept for its flush. */
  close(): Promise<void>;
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

  // Written as the task store writes its files: a temp file flushed, renamed over, the folder flushed.
  const ops = createNodeFileOps();
  let chain: Promise<void> = Promise.resolve();
  async function write(): Promise<void> {
    if (!file) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await ops.writeFile(tmp, JSON.stringify({ version: 1, batches: [...batches.values()] }));
      await ops.rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await ops.fsyncDir(path.dirname(file));
  }

  return {
    batches,
    problem,
    isPaused: (batchId) => batches.get(batchId)?.paused === true,
    async close() {
      // After the last write, which may still open the folder for its flush.
      await chain;
      await ops.close();
    },
    save() {
      const run = chain.then(write);
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
