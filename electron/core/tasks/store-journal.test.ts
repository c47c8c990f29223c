// The active tasks' journal: commits append a line instead of rewriting the active file, and what is
// acknowledged survives a torn append, a damaged active file and a full disk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { ACTIVE_FILE, ARCHIVE_DIR, openTaskStore, segmentFileName, type TaskStoreOptions } from './store';
import { journalFileOf, previousJournalOf } from './store-journal';
import { sampleTask } from './test-support/store-sample-tasks';
import { countingFileOps, makeTempDataDir, tasksOnDisk } from './test-support/store-files';
import type { TaskStore } from './task-store';

const open: TaskStore[] = [];
const dirs: string[] = [];
async function openStore(opts: Partial<TaskStoreOptions> = {}): Promise<{ store: TaskStore; dir: string }> {
  const dir = opts.dataDir ?? (await makeTempDataDir());
  dirs.push(dir);
  const store = await openTaskStore({ logger: silentLogger, ...opts, dataDir: dir });
  open.push(store);
  return { store, dir };
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const progressOf = (store: TaskStore, n: number) => store.get(sampleTask(n).videoId)?.progress;

describe('the active tasks\' journal', () => {
  it('a status update appends one line; the active file is not rewritten', async () => {
    const counter = countingFileOps();
    const { store, dir } = await openStore({ fileOps: counter.ops });
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 1 }));
    const wholeFile = await fs.readFile(path.join(dir, ACTIVE_FILE), 'utf8');
    counter.writes.clear();
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 2 }));
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 3 }));
    expect(Object.fromEntries(counter.writes)).toEqual({ [path.basename(journalFileOf(ACTIVE_FILE))]: 2 });
    expect(await fs.readFile(path.join(dir, ACTIVE_FILE), 'utf8')).toBe(wholeFile);
    expect((await fs.readFile(journalFileOf(path.join(dir, ACTIVE_FILE)), 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE))[0].progress).toBe(3);
  });

  it('a clean close folds the journal into the active file', async () => {
    const { store, dir } = await openStore();
    for (let p = 1; p <= 5; p++) await store.put(sampleTask(1, { status: 'PROCESSING', progress: p }));
    await store.close();
    const file = path.join(dir, ACTIVE_FILE);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).tasks[0].progress).toBe(5);
    await expect(fs.stat(journalFileOf(file))).rejects.toMatchObject({ code: 'ENOENT' });
    const { store: again } = await openStore({ dataDir: dir });
    expect(progressOf(again, 1)).toBe(5);
  });

  it('keeps what a crash left: the complete lines count, a line cut short by the crash is skipped', async () => {
    const { store, dir } = await openStore();
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 1 }));
    await store.put(sampleTask(2, { status: 'PROCESSING', progress: 10 }));
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 20 }));
    // As after a SIGKILL: the store never closes; an append was cut short mid-line.
    open.splice(open.indexOf(store), 1);
    await (store as unknown as { letGo(): Promise<void> }).letGo();
    await fs.appendFile(journalFileOf(path.join(dir, ACTIVE_FILE)), '{"seq":999,"put":{"videoId":"video_00');
    const { store: again } = await openStore({ dataDir: dir });
    expect([progressOf(again, 1), progressOf(again, 2)]).toEqual([20, 10]);
    expect(again.openReport.recovered).toEqual([]);
  });

  it('a damaged active file is rebuilt from its last good copy and the journal set aside with it: nothing acknowledged is lost', async () => {
    const { store, dir } = await openStore();
    const file = path.join(dir, ACTIVE_FILE);
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 1 }));
    await store.put(sampleTask(2, { status: 'PROCESSING', progress: 2 }));
    await store.close(); // the file written whole again (the first copy is now .bak), the journal set aside
    expect(await fs.stat(previousJournalOf(journalFileOf(file)))).toBeTruthy();
    const { store: second } = await openStore({ dataDir: dir });
    await second.put(sampleTask(3, { status: 'PROCESSING', progress: 3 }));
    open.splice(open.indexOf(second), 1);
    await (second as unknown as { letGo(): Promise<void> }).letGo();
    await fs.writeFile(file, '{"version":1,"writeSeq":'); // damaged

    const { store: third } = await openStore({ dataDir: dir });
    expect([progressOf(third, 1), progressOf(third, 2), progressOf(third, 3)]).toEqual([1, 2, 3]);
    expect(third.openReport.recovered).toEqual([expect.objectContaining({ file, restoredFrom: `${file}.bak` })]);
  });

  it('a full disk mid-append: the batch is refused, and the next append still starts a line of its own', async () => {
    let full = false;
    const { store, dir } = await openStore({
      fileOps: {
        async append(file, data) {
          if (full) {
            await fs.appendFile(file, data.slice(0, 25)); // part of it made it to the disk
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
          await fs.appendFile(file, data);
        },
      },
    });
    await store.put(sampleTask(1, { status: 'PROCESSING', progress: 1 }));
    await store.put(sampleTask(2, { status: 'PROCESSING', progress: 1 }));
    full = true;
    await expect(store.put(sampleTask(1, { status: 'PROCESSING', progress: 50 }))).rejects.toThrow(/disk is full/);
    full = false;
    await store.put(sampleTask(2, { status: 'PROCESSING', progress: 60 }));
    open.splice(open.indexOf(store), 1);
    await (store as unknown as { letGo(): Promise<void> }).letGo();
    const { store: again } = await openStore({ dataDir: dir });
    // The refused change was retried with the next batch; both are on disk.
    expect([progressOf(again, 1), progressOf(again, 2)]).toEqual([50, 60]);
  });

  it('the journal is folded into the active file once it outgrows it', async () => {
    const counter = countingFileOps();
    const { store, dir } = await openStore({ fileOps: counter.ops });
    await store.put(sampleTask(1, { status: 'PROCESSING', prompt: 'x'.repeat(2000) }));
    for (let p = 1; p <= 60; p++) await store.put(sampleTask(1, { status: 'PROCESSING', prompt: 'x'.repeat(2000), progress: p }));
    // Lines of ~2.6 kB outgrow the 64 kB floor every ~25 updates: the file is written whole again and the journal begun anew.
    expect(counter.writes.get(ACTIVE_FILE)).toBe(3);
    const journal = await fs.readFile(journalFileOf(path.join(dir, ACTIVE_FILE)), 'utf8');
    expect(journal.length).toBeLessThan(64 * 1024 + 3000);
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE))[0].progress).toBe(60);
  });

  it('of two copies a crash left, the one written later wins, whether in a journal line or a segment', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const file = path.join(dir, ACTIVE_FILE);
    await fs.mkdir(path.join(dir, ARCHIVE_DIR));
    await fs.writeFile(file, JSON.stringify({ version: 1, writeSeq: 5, tasks: [] }));
    const line = (seq: number, n: number, status: string) => JSON.stringify({ seq, put: sampleTask(n, { status: status as 'QUEUED' }) }) + '\n';
    // Task 1: the journal line (seq 9) is later than the segment (seq 8). Task 2: the segment is later.
    await fs.writeFile(journalFileOf(file), line(6, 2, 'PROCESSING') + line(9, 1, 'QUEUED'));
    await fs.writeFile(path.join(dir, ARCHIVE_DIR, segmentFileName(1)), JSON.stringify({ version: 1, writeSeq: 8, tasks: [sampleTask(1, { status: 'FAILED' }), sampleTask(2, { status: 'COMPLETED' })] }));
    const { store } = await openStore({ dataDir: dir });
    expect([store.get(sampleTask(1).videoId)?.status, store.get(sampleTask(2).videoId)?.status]).toEqual(['QUEUED', 'COMPLETED']);
    expect(store.active().map((t) => t.videoId)).toEqual([sampleTask(1).videoId]);
    expect(store.stats().total).toBe(2);
    // Both files were written again without the losing copies.
    expect(tasksOnDisk(file).map((t) => t.videoId)).toEqual([sampleTask(1).videoId]);
    expect(tasksOnDisk(path.join(dir, ARCHIVE_DIR, segmentFileName(1))).map((t) => t.videoId)).toEqual([sampleTask(2).videoId]);
  });
});
