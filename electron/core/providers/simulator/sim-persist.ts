// The demo's jobs are kept in the data dir, so a demo job created before a restart completes after it.
// Written shortly after a change (one write for a burst), atomically (temp file, rename), and once more
// on close; a file this version cannot read is set aside and the demo starts empty.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../log';
import { SimJobSchema, type SimJob, type SimJobs } from './sim-jobs';

export const SIM_STATE_FILE = 'demo-simulator.json';
const WRITE_DELAY_MS = 200;

const StateSchema = z.object({ version: z.literal(1), jobs: z.array(z.unknown()) });

export interface SimPersistence {
  /** Writes now if anything changed since the last write. */
  flush(): void;
  close(): void;
}

export function loadSimJobs(dataDir: string, logger: Logger): SimJob[] {
  const file = path.join(dataDir, SIM_STATE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const state = StateSchema.parse(JSON.parse(text));
    const jobs: SimJob[] = [];
    for (const j of state.jobs) {
      const parsed = SimJobSchema.safeParse(j);
      if (parsed.success) jobs.push(parsed.data);
    }
    return jobs;
  } catch (err) {
    const aside = `${file}.unreadable-${Date.now()}`;
    fs.renameSync(file, aside);
    logger.warn('demo simulator state unreadable; the demo starts without its old jobs', { file: aside, message: (err as Error).message });
    return [];
  }
}

export function persistSimJobs(jobs: SimJobs, dataDir: string, logger: Logger): SimPersistence {
  const file = path.join(dataDir, SIM_STATE_FILE);
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!dirty) return;
    dirty = false;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify({ version: 1, jobs: jobs.snapshot() }), { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch (err) {
      // The demo keeps running from memory; the next change tries again.
      dirty = true;
      fs.rmSync(tmp, { force: true });
      logger.warn('demo simulator state not written', { message: (err as Error).message });
    }
  };

  jobs.onChange(() => {
    if (closed) return;
    dirty = true;
    // A real timer, not the injected clock: this is about the disk, not about simulated time.
    timer ??= setTimeout(write, WRITE_DELAY_MS);
    timer.unref?.();
  });

  return {
    flush: write,
    close() {
      write();
      closed = true;
    },
  };
}
