import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import type { TaskStore } from './task-store';
import { ACTIVE_FILE, ARCHIVE_DIR, openTaskStore, segmentFileName, type TaskStoreOptions } from './store';
import { sampleTask } from './test-support/store-sample-tasks';
import { countingFileOps, fillableDisk, makeTempDataDir, tasksOnDisk } from './test-support/store-files';

const open: TaskStore[] = [];
const dirs: string[] = [];
async function openStore(opts: Partial<TaskStoreOptions> & { dataDir?: string } = {}): Promise<{ store: TaskStore; dir: string }> {
  const dir = opts.dataDir ?? (await makeTempDataDir());
  dirs.push(dir);
  const store = await openTaskStore({ logger: silentLogger, commitDelayMs: 5, ...opts, dataDir: dir });
  open.push(store);
  return { store, dir };
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

describe('TaskStore durability', () => {
  it('keeps every task across close and re-open, active and terminal alike', async () => {
    const { store, dir } = await openStore();
    await store.put(sampleTask(1));
    await store.put(sampleTask(2, { status: 'COMPLETED', videoUrl: 'http://127.0.0.1:9/v.mp4' }));
    await store.put(sampleTask(3, { status: 'PROCESSING', progress: 40 }));
    await store.close();

    const { store: again } = await openStore({ dataDir: dir });
    expect(again.get('video_0000001')?.status).toBe('QUEUED');
    expect(again.get('video_0000002')?.videoUrl).toBe('http://127.0.0.1:9/v.mp4');
    expect(again.get('video_0000003')?.progress).toBe(40);
    expect(again.active().map((t) => t.videoId).sort()).toEqual(['video_0000001', 'video_0000003']);
    expect(again.openReport).toEqual({ recovered: [], migratedFrom: null });
  });

  it('resolves a put only once the task is in the file on disk', async () => {
    const { store, dir } = await openStore({ commitDelayMs: 30 });
    const file = path.join(dir, ACTIVE_FILE);
    const seenAtResolve = await store.put(sampleTask(7)).then(() => tasksOnDisk(file).map((t) => t.videoId));
    expect(seenAtResolve).toContain('video_0000007');
  });

  it('shows a put in get/list at once, before it is durable', async () => {
    const { store } = await openStore({ commitDelayMs: 40 });
    const pending = store.put(sampleTask(1));
    expect(store.get('video_0000001')?.prompt).toContain('paper boat number 1');
    expect(store.list({ limit: 10 }).total).toBe(1);
    await pending;
  });

  it('batches many puts into one write per file', async () => {
    const counter = countingFileOps();
    const { store } = await openStore({ commitDelayMs: 30, fileOps: counter.ops });
    const puts = [];
    for (let i = 0; i < 200; i++) puts.push(store.put(sampleTask(i, { status: i % 2 ? 'COMPLETED' : 'QUEUED' })));
    await Promise.all(puts);
    expect(counter.writes.get(ACTIVE_FILE)).toBe(1);
    expect(counter.writes.get(segmentFileName(1))).toBe(1);
    expect(counter.total()).toBe(2);
  });

  it('holds a copy: mutating the object after put changes nothing stored', async () => {
    const { store } = await openStore();
    const t = sampleTask(1);
    const p = store.put(t);
    t.prompt = 'changed behind the store';
    await p;
    expect(store.get('video_0000001')?.prompt).not.toBe('changed behind the store');
  });

  it('delete removes the task from memory and disk', async () => {
    const { store, dir } = await openStore();
    await store.put(sampleTask(1));
    await store.put(sampleTask(2, { status: 'FAILED' }));
    await store.delete('video_0000001');
    await store.delete('video_0000002');
    await store.delete('no_such_video');
    expect(store.get('video_0000001')).toBeUndefined();
    await store.close();
    const { store: again } = await openStore({ dataDir: dir });
    expect(again.stats().total).toBe(0);
  });

  it('moves a finished task from the active file to an archive segment', async () => {
    const { store, dir } = await openStore();
    await store.put(sampleTask(1, { status: 'PROCESSING' }));
    await store.put(sampleTask(1, { status: 'COMPLETED', progress: 100 }));
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE))).toEqual([]);
    expect(tasksOnDisk(path.join(dir, ARCHIVE_DIR, segmentFileName(1))).map((t) => t.status)).toEqual(['COMPLETED']);
  });

  it('fills archive segments up to their size, then starts a new one', async () => {
    const { store, dir } = await openStore({ segmentSize: 3 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.put(sampleTask(n, { status: 'CANCELLED' }))));
    const seg = (n: number) => tasksOnDisk(path.join(dir, ARCHIVE_DIR, segmentFileName(n))).length;
    expect([seg(1), seg(2)]).toEqual([3, 2]);
  });

  it('rejects a record without a videoId or with an unknown status, storing nothing', async () => {
    const { store } = await openStore();
    await expect(store.put(sampleTask(1, { videoId: '' }))).rejects.toThrow('a task needs a videoId and a known status');
    await expect(store.put(sampleTask(1, { status: 'DONE' as never }))).rejects.toThrow('known status');
    expect(store.stats().total).toBe(0);
  });

  it('refuses a second store on the same data dir, and frees it on close', async () => {
    const { store, dir } = await openStore();
    await expect(openTaskStore({ dataDir: dir, logger: silentLogger })).rejects.toThrow(/already using the data directory/);
    await store.close();
    await (await openTaskStore({ dataDir: dir, logger: silentLogger })).close();
  });
});

describe('TaskStore write failures', () => {
  it('rejects the puts of a batch that hit a full disk, keeps them in memory and writes them on the next batch', async () => {
    const disk = fillableDisk();
    disk.full = true;
    const { store, dir } = await openStore({ fileOps: disk.ops });
    const err = await store.put(sampleTask(1)).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'INTERNAL' }); // an AppError: the client is told why
    expect((err as Error).message).toMatch(/Could not save tasks to .*tasks-active\.json: the disk is full \(ENOSPC/);
    expect(store.get('video_0000001')?.videoId).toBe('video_0000001');
    await expect(store.flush()).rejects.toThrow('ENOSPC');

    disk.full = false;
    await store.put(sampleTask(2));
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE)).map((t) => t.videoId).sort()).toEqual(['video_0000001', 'video_0000002']);
  });

  it('keeps what was already durable when a later write fails', async () => {
    let fail = false;
    const { store, dir } = await openStore({
      fileOps: {
        async writeFile(file, data) {
          // Only the archive fails: writing the active file first would then drop the task from disk.
          if (fail && file.includes('seg-')) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
          await fs.writeFile(file, data);
        },
      },
    });
    await store.put(sampleTask(1));
    fail = true;
    // Finishing the task moves it to the archive; that write fails, so the active file must still hold it.
    await expect(store.put(sampleTask(1, { status: 'COMPLETED' }))).rejects.toThrow('EIO');
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE)).map((t) => t.videoId)).toEqual(['video_0000001']);
  });
});
