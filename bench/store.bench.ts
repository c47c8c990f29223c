// TaskStore at 100,000 tasks against the naive lowdb way (one JSON file, rewritten whole per change).
// Note the baseline is lowdb's JSONFile, which does not fsync; the candidate fsyncs every write.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { silentLogger } from '../electron/core/log';
import type { TaskRecord } from '../electron/core/tasks/record';
import { openTaskStore } from '../electron/core/tasks/store';
import { sampleTask } from '../electron/core/tasks/test-support/store-sample-tasks';
import type { TaskStore } from '../electron/core/tasks/task-store';
import type { BenchCase } from './run';

const TOTAL = 100_000;
const ACTIVE = 1000;

interface Seeded {
  dir: string;
  naive: Low<{ tasks: TaskRecord[] }>;
  store: TaskStore;
  activeIds: string[];
  /** videoId -> position in the naive list, so the baseline measures writing, not scanning. */
  naiveIndex: Map<string, number>;
}

let seeded: Seeded | null = null;
let users = 0;
let round = 0;

function seedTasks(): TaskRecord[] {
  return Array.from({ length: TOTAL }, (_, n) => sampleTask(n, { status: n >= TOTAL - ACTIVE ? 'PROCESSING' : 'COMPLETED' }));
}

async function acquire(): Promise<Seeded> {
  users++;
  if (seeded) return seeded;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'soradesk-bench-'));
  const naive = new Low(new JSONFile<{ tasks: TaskRecord[] }>(path.join(dir, 'naive-tasks.json')), { tasks: seedTasks() });
  await naive.write();
  // commitDelayMs 0: measure the write itself, not the batching window.
  const store = await openTaskStore({ dataDir: path.join(dir, 'store'), logger: silentLogger, commitDelayMs: 0 });
  await Promise.all(seedTasks().map((t) => store.put(t)));
  const activeIds = store.active().map((t) => t.videoId);
  const naiveIndex = new Map(naive.data.tasks.map((t, i) => [t.videoId, i]));
  seeded = { dir, naive, store, activeIds, naiveIndex };
  return seeded;
}

async function release(): Promise<void> {
  if (--users > 0 || !seeded) return;
  await seeded.store.close();
  await fs.rm(seeded.dir, { recursive: true, force: true });
  seeded = null;
}

function naiveUpdate(s: Seeded, videoId: string, progress: number): void {
  const t = s.naive.data.tasks[s.naiveIndex.get(videoId)!];
  t.progress = progress;
  t.updatedAt = new Date().toISOString();
}

function storeUpdate(s: Seeded, videoId: string, progress: number): Promise<void> {
  return s.store.put({ ...s.store.get(videoId)!, progress, updatedAt: new Date().toISOString() });
}

let s!: Seeded;
const cases: BenchCase[] = [
  {
    name: `one status update at ${TOTAL.toLocaleString('en')} tasks (${ACTIVE} active)`,
    iterations: 15,
    setup: async () => void (s = await acquire()),
    teardown: release,
    baseline: async () => {
      naiveUpdate(s, s.activeIds[0], ++round % 99);
      await s.naive.write();
    },
    candidate: () => storeUpdate(s, s.activeIds[0], ++round % 99),
  },
  {
    name: `batch of 1000 puts (progress of ${ACTIVE} active tasks) at ${TOTAL.toLocaleString('en')} tasks`,
    iterations: 8,
    setup: async () => void (s = await acquire()),
    teardown: release,
    // The naive layout at its best: all updates, then ONE whole write. (A write per put, as the
    // origin code did, re-serialises 100k tasks 1000 times: far too slow to measure here.)
    baseline: async () => {
      const p = ++round % 99;
      for (const id of s.activeIds) naiveUpdate(s, id, p);
      await s.naive.write();
    },
    candidate: () => {
      const p = ++round % 99;
      return Promise.all(s.activeIds.map((id) => storeUpdate(s, id, p)));
    },
  },
];

export default cases;
