// Group commit behind the flush: a change is written at once when nothing is being written, changes
// made during a write go together in the next one, and nothing resolves before it is on disk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import type { FileOps } from './store-file';
import { silentLogger } from '../log';
import { ACTIVE_FILE, ARCHIVE_DIR, openTaskStore, segmentFileName, type TaskStoreOptions } from './store';
import { journalFileOf } from './store-journal';
import { sampleTask } from './test-support/store-sample-tasks';
import { countingFileOps, makeTempDataDir, tasksOnDisk } from './test-support/store-files';
import type { TaskStore } from './task-store';

/** A clock whose timers never fire: a store that needed one to commit would never resolve. */
const stoppedClock: Clock = { now: () => Date.now(), setTimeout: () => ({}), clearTimeout: () => undefined };

const ACTIVE_JOURNAL = path.basename(journalFileOf(ACTIVE_FILE));
const open: TaskStore[] = [];
const dirs: string[] = [];
async function openStore(opts: Partial<TaskStoreOptions> = {}): Promise<{ store: TaskStore; dir: string }> {
  const dir = opts.dataDir ?? (await makeTempDataDir());
  dirs.push(dir);
  const store = await openTaskStore({ logger: silentLogger, clock: stoppedClock, ...opts, dataDir: dir });
  open.push(store);
  return { store, dir };
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** File writes and appends (through `inner`) that wait, while `holding`, until the test lets each one finish. */
function heldWrites(inner: Partial<FileOps>) {
  const held: Array<{ file: string; release: () => void }> = [];
  const hold = (file: string) => (w.holding ? new Promise<void>((release) => held.push({ file, release })) : Promise.resolve());
  const w = {
    holding: true,
    held,
    ops: {
      ...inner,
      async writeFile(file: string, data: string) {
        await hold(file);
        await (inner.writeFile ?? fs.writeFile)(file, data);
      },
      async append(file: string, data: string) {
        await hold(file);
        await (inner.append ?? fs.appendFile)(file, data);
      },
    } satisfies Partial<FileOps>,
    async next(): Promise<{ file: string; release: () => void }> {
      for (let i = 0; i < 200 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      const next = held.shift();
      if (!next) throw new Error('no write started');
      return next;
    },
  };
  return w;
}

describe('group commit behind the flush', () => {
  it('writes a change at once when no write is in flight, with no timer to wait out', async () => {
    const { store, dir } = await openStore();
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 5 }));
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE)).map((t) => t.progress)).toEqual([5]);
  });

  it('changes made while a write is under way form the next batch, written as soon as that one is done', async () => {
    const counter = countingFileOps();
    const writes = heldWrites(counter.ops);
    const { store, dir } = await openStore({ fileOps: writes.ops });
    const settled: string[] = [];
    const first = store.put(sampleTask(1)).then(() => settled.push('t1'));
    const w1 = await writes.next();
    // The first write is in flight: these three wait for it, then go together.
    const rest = [2, 3, 4].map((n) => store.put(sampleTask(n)).then(() => settled.push(`t${n}`)));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toEqual([]);
    w1.release();
    await first;
    expect(settled).toEqual(['t1']);
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE)).map((t) => t.videoId)).toEqual(['video_0000001']);
    const w2 = await writes.next();
    expect(settled).toEqual(['t1']); // not announced before the batch holding them is durable
    w2.release();
    await Promise.all(rest);
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE)).map((t) => t.videoId)).toEqual(['video_0000001', 'video_0000002', 'video_0000003', 'video_0000004']);
    // The first write made the active file; the second, the three together, went to its journal.
    expect([counter.writes.get(ACTIVE_FILE), counter.writes.get(ACTIVE_JOURNAL)]).toEqual([1, 1]);
    writes.holding = false;
  });

  it('puts made together in one turn go in one write', async () => {
    const counter = countingFileOps();
    const { store } = await openStore({ fileOps: counter.ops });
    await Promise.all(Array.from({ length: 50 }, (_, n) => store.put(sampleTask(n))));
    expect(counter.writes.get(ACTIVE_FILE)).toBe(1);
  });

  it('writes each change of a task as it is now, in the active file, the newest segment and a full one', async () => {
    const { store, dir } = await openStore({ segmentSize: 2 });
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 10 }));
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 20 }));
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE))[0].progress).toBe(20);
    await store.put(sampleTask(1, { status: 'COMPLETED' }));
    await store.put(sampleTask(2, { status: 'COMPLETED' }));
    await store.put(sampleTask(2, { status: 'COMPLETED', localPath: '/videos/two.mp4' }));
    // Segment 1 is full; the next finished task opens segment 2, and segment 1 still takes changes.
    await store.put(sampleTask(3, { status: 'FAILED' }));
    await store.put(sampleTask(1, { status: 'COMPLETED', localPath: '/videos/one.mp4' }));
    const seg = (n: number) => tasksOnDisk(path.join(dir, ARCHIVE_DIR, segmentFileName(n)));
    expect(seg(1).map((t) => [t.videoId, t.localPath])).toEqual([['video_0000001', '/videos/one.mp4'], ['video_0000002', '/videos/two.mp4']]);
    expect(seg(2).map((t) => t.videoId)).toEqual(['video_0000003']);
    const text = await fs.readFile(path.join(dir, ARCHIVE_DIR, segmentFileName(1)), 'utf8');
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    await store.close();
    const again = await openTaskStore({ dataDir: dir, logger: silentLogger });
    open.push(again);
    expect([again.get('video_0000001')?.localPath, again.get('video_0000002')?.localPath, again.get('video_0000003')?.status]).toEqual(['/videos/one.mp4', '/videos/two.mp4', 'FAILED']);
  });
});
