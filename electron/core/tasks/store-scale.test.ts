import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import type { TaskStore } from './task-store';
import { ACTIVE_FILE, openTaskStore, segmentFileName } from './store';
import { journalFileOf } from './store-journal';
import { sampleTask } from './test-support/store-sample-tasks';
import { countingFileOps, makeTempDataDir } from './test-support/store-files';

const TOTAL = 100_000;
const ACTIVE_JOURNAL = path.basename(journalFileOf(ACTIVE_FILE));
const ACTIVE = 20;
let dir: string;
let store: TaskStore;
const counter = countingFileOps();

beforeAll(async () => {
  dir = await makeTempDataDir();
  const seed = await openTaskStore({ dataDir: dir, logger: silentLogger, commitDelayMs: 1 });
  const puts: Promise<void>[] = [];
  for (let n = 0; n < TOTAL; n++) puts.push(seed.put(sampleTask(n, { status: n >= TOTAL - ACTIVE ? 'PROCESSING' : 'COMPLETED' })));
  await Promise.all(puts);
  await seed.close();
  // Re-opened: 100k tasks are loaded from disk, and every write from here on is counted.
  store = await openTaskStore({ dataDir: dir, logger: silentLogger, commitDelayMs: 1, fileOps: counter.ops });
}, 120_000);
afterAll(async () => {
  await store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('TaskStore at 100,000 tasks', () => {
  it('loads them all', () => {
    expect(store.stats()).toEqual({
      total: TOTAL,
      byStatus: { PENDING: 0, QUEUED: 0, PROCESSING: ACTIVE, COMPLETED: TOTAL - ACTIVE, FAILED: 0, CANCELLED: 0 },
    });
    expect(store.active()).toHaveLength(ACTIVE);
  });

  it('writes only the active tasks\' journal for a status update of an active task, never the archive', async () => {
    counter.writes.clear();
    const id = TOTAL - 1;
    await store.put(sampleTask(id, { status: 'PROCESSING', progress: 55 }));
    expect(Object.fromEntries(counter.writes)).toEqual({ [ACTIVE_JOURNAL]: 1 });
    expect(store.get(sampleTask(id).videoId)?.progress).toBe(55);
  });

  it('writes only the one segment holding a finished task when it changes', async () => {
    counter.writes.clear();
    await store.put(sampleTask(12_345, { status: 'COMPLETED', localPath: '/library/v12345.mp4' }));
    expect(Object.fromEntries(counter.writes)).toEqual({ [segmentFileName(13)]: 1 });
  });

  it('writes the active tasks\' journal and one segment when a task finishes', async () => {
    counter.writes.clear();
    await store.put(sampleTask(TOTAL - 2, { status: 'COMPLETED', progress: 100 }));
    // 99,980 finished tasks fill segments 1-99 and 980 places of segment 100, which takes it.
    expect([...counter.writes.keys()].sort()).toEqual([ACTIVE_JOURNAL, segmentFileName(100)].sort());
    expect(store.active()).toHaveLength(ACTIVE - 1);
  });

  it('pages newest first and filters from the in-memory index', () => {
    const page = store.list({ limit: 3 });
    expect(page.tasks.map((t) => t.videoId)).toEqual([TOTAL - 1, TOTAL - 2, TOTAL - 3].map((n) => sampleTask(n).videoId));
    expect(page.total).toBe(TOTAL);
    const next = store.list({ limit: 2, cursor: page.nextCursor });
    expect(next.tasks.map((t) => t.videoId)).toEqual([TOTAL - 4, TOTAL - 5].map((n) => sampleTask(n).videoId));
    expect(store.list({ status: 'PROCESSING', limit: 500 }).total).toBe(ACTIVE - 1);
    // Words in any order, any case.
    expect(store.list({ search: 'drifting NUMBER 94242', limit: 5 }).tasks.map((t) => t.videoId)).toEqual([sampleTask(94242).videoId]);
  });
});
