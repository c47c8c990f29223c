import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import type { TaskStore } from './task-store';
import { openTaskStore } from './store';
import { sampleTask } from './test-support/store-sample-tasks';
import { makeTempDataDir } from './test-support/store-files';

let store: TaskStore;
let dir: string;
const STATUS_CYCLE = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'PENDING'] as const;

beforeAll(async () => {
  dir = await makeTempDataDir();
  store = await openTaskStore({ dataDir: dir, logger: silentLogger, commitDelayMs: 1 });
  const puts = [];
  for (let n = 1; n <= 60; n++) {
    puts.push(store.put(sampleTask(n, { status: STATUS_CYCLE[n % 6], prompt: n % 10 === 0 ? `Sunset over HARBOUR ${n}` : `city walk ${n}` })));
  }
  await Promise.all(puts);
});
afterAll(async () => {
  await store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const ids = (tasks: { videoId: string }[]) => tasks.map((t) => t.videoId);

describe('TaskStore list', () => {
  it('lists newest first and pages through everything with the cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = store.list({ limit: 25, cursor });
      expect(page.total).toBe(60);
      seen.push(...ids(page.tasks));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => sampleTask(60 - i).videoId));
  });

  it('orders tasks created in the same instant by videoId, descending', async () => {
    const d = await makeTempDataDir();
    const s = await openTaskStore({ dataDir: d, logger: silentLogger, commitDelayMs: 1 });
    const same = '2025-06-01T00:00:00.000Z';
    await Promise.all(['b', 'a', 'c'].map((id) => s.put(sampleTask(1, { videoId: id, createdAt: same }))));
    expect(ids(s.list({ limit: 10 }).tasks)).toEqual(['c', 'b', 'a']);
    await s.close();
    await fs.rm(d, { recursive: true, force: true });
  });

  it('filters by one status or several, with totals for the filter', () => {
    const completed = store.list({ status: 'COMPLETED', limit: 100 });
    expect(completed.total).toBe(10);
    expect(completed.tasks.every((t) => t.status === 'COMPLETED')).toBe(true);
    const active = store.list({ status: ['PENDING', 'QUEUED', 'PROCESSING'], limit: 4 });
    expect(active.total).toBe(30);
    expect(active.tasks).toHaveLength(4);
    expect(active.nextCursor).not.toBeNull();
  });

  it('searches the prompt case-insensitively, and the videoId', () => {
    const page = store.list({ search: 'harbour', limit: 100 });
    expect(ids(page.tasks)).toEqual([60, 50, 40, 30, 20, 10].map((n) => sampleTask(n).videoId));
    expect(page.total).toBe(6);
    expect(ids(store.list({ search: 'VIDEO_0000042', limit: 5 }).tasks)).toEqual(['video_0000042']);
    expect(ids(store.list({ search: 'harbour', status: 'COMPLETED', limit: 10 }).tasks)).toEqual([sampleTask(50).videoId, sampleTask(20).videoId]);
  });

  it('gives no next cursor on the last page', () => {
    const page = store.list({ search: 'harbour', limit: 6 });
    expect(page.tasks).toHaveLength(6);
    expect(page.nextCursor).toBeNull();
  });

  it('keeps paging correctly when the task under the cursor is deleted meanwhile', async () => {
    const first = store.list({ limit: 5 });
    await store.delete(first.tasks[4].videoId);
    const next = store.list({ limit: 5, cursor: first.nextCursor });
    expect(next.tasks[0].videoId).toBe(sampleTask(55).videoId);
    await store.put(first.tasks[4]);
  });

  it('rejects a cursor it did not make with a clear error', () => {
    expect(() => store.list({ limit: 5, cursor: 'not-a-cursor' })).toThrow('invalid cursor');
  });
});

describe('TaskStore search (words in any order, case and accents ignored, a date range)', () => {
  let local: TaskStore;
  let localDir: string;
  // Created one hour apart from 2025-01-01T00:00Z: tasks 0..4.
  const at = (h: number) => new Date(Date.UTC(2025, 0, 1, h)).toISOString();
  beforeAll(async () => {
    localDir = await makeTempDataDir();
    local = await openTaskStore({ dataDir: localDir, logger: silentLogger, commitDelayMs: 1 });
    await Promise.all([
      local.put(sampleTask(0, { videoId: 'vid_cat', prompt: 'A calico cat playing a piano', model: 'sora-2', createdAt: at(0) })),
      local.put(sampleTask(1, { videoId: 'vid_cafe', prompt: 'Morning at the CAFÉ de Flore', model: 'sora-2-pro', createdAt: at(1) })),
      local.put(sampleTask(2, { videoId: 'vid_relay', prompt: 'A piano in the rain', providerId: 'my-relay', externalId: 'video_abc123', createdAt: at(2) })),
      local.put(sampleTask(3, { videoId: 'vid_zh', prompt: '一只猫在弹钢琴', model: 'veo-3', createdAt: at(3) })),
      local.put(sampleTask(4, { videoId: 'vid_late', prompt: 'A cat asleep on a piano', createdAt: at(4), status: 'COMPLETED' })),
    ]);
  });
  afterAll(async () => {
    await local.close();
    await fs.rm(localDir, { recursive: true, force: true });
  });
  const found = (q: Omit<Parameters<TaskStore['list']>[0], 'limit'>) => ids(local.list({ limit: 100, ...q }).tasks);

  it('finds "piano cat" in "A calico cat playing a piano": every word, in any order', () => {
    expect(found({ search: 'piano cat' })).toEqual(['vid_late', 'vid_cat']);
    expect(found({ search: 'PIANO   Calico' })).toEqual(['vid_cat']);
    expect(found({ search: 'piano dog' })).toEqual([]);
  });

  it('ignores accents both ways and folds case', () => {
    expect(found({ search: 'cafe' })).toEqual(['vid_cafe']);
    expect(found({ search: 'Café FLORE' })).toEqual(['vid_cafe']);
  });

  it('looks in the model, the provider and both ids too; CJK text by substring', () => {
    expect(found({ search: 'sora-2-pro' })).toEqual(['vid_cafe']);
    expect(found({ search: 'relay piano' })).toEqual(['vid_relay']);
    expect(found({ search: 'ABC123' })).toEqual(['vid_relay']);
    expect(found({ search: 'vid_zh' })).toEqual(['vid_zh']);
    expect(found({ search: '弹钢琴' })).toEqual(['vid_zh']);
  });

  it('narrows to a creation-time window (from inclusive, to exclusive), with the search and status', () => {
    expect(found({ from: at(1), to: at(3) })).toEqual(['vid_relay', 'vid_cafe']);
    expect(found({ from: at(3) })).toEqual(['vid_late', 'vid_zh']);
    expect(found({ to: at(1) })).toEqual(['vid_cat']);
    expect(found({ search: 'piano', from: at(1) })).toEqual(['vid_late', 'vid_relay']);
    expect(found({ search: 'piano', from: at(1), status: 'COMPLETED' })).toEqual(['vid_late']);
  });

  it('says how many match the query and how many there are in all', () => {
    const page = local.list({ search: 'piano', limit: 1 });
    expect(page).toMatchObject({ total: 3, unfiltered: 5 });
    expect(local.list({ from: at(1), to: at(3), limit: 1 })).toMatchObject({ total: 2, unfiltered: 5 });
    expect(local.list({ limit: 1 })).toMatchObject({ total: 5, unfiltered: 5 });
  });

  it('pages a date window with the cursor, without repeats or strays', () => {
    const first = local.list({ from: at(1), to: at(4), limit: 2 });
    expect(ids(first.tasks)).toEqual(['vid_zh', 'vid_relay']);
    const second = local.list({ from: at(1), to: at(4), limit: 2, cursor: first.nextCursor });
    expect(ids(second.tasks)).toEqual(['vid_cafe']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('TaskStore stats', () => {
  it('counts every status and follows changes', async () => {
    expect(store.stats()).toEqual({
      total: 60,
      byStatus: { PENDING: 10, QUEUED: 10, PROCESSING: 10, COMPLETED: 10, FAILED: 10, CANCELLED: 10 },
    });
    await store.put(sampleTask(1, { status: 'COMPLETED' })); // 1 was PROCESSING
    await store.delete(sampleTask(2).videoId); // 2 was COMPLETED
    expect(store.stats().byStatus).toMatchObject({ PROCESSING: 9, COMPLETED: 10 });
    expect(store.stats().total).toBe(59);
    await store.put(sampleTask(1, { status: 'PROCESSING' }));
    await store.put(sampleTask(2, { status: 'COMPLETED' }));
  });
});
