import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { ACTIVE_FILE, ARCHIVE_DIR, openTaskStore, segmentFileName } from './store';
import { sampleTask } from './test-support/store-sample-tasks';
import { makeTempDataDir, tasksOnDisk } from './test-support/store-files';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) }) };
}

/** A data dir with two good writes of the active file, so a .bak holding task 1 exists. */
async function dirWithTwoWrites(): Promise<string> {
  const dir = await makeTempDataDir();
  dirs.push(dir);
  const store = await openTaskStore({ dataDir: dir, logger: createLogger({ write: () => {} }), commitDelayMs: 1 });
  await store.put(sampleTask(1));
  await store.put(sampleTask(2));
  await store.close();
  return dir;
}

async function asideFiles(dir: string, base: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => n.startsWith(`${base}.corrupt-`));
}

describe('TaskStore recovery at open', () => {
  it.each([
    ['bad JSON', '{"version":1,"writeSeq":3,"tasks":[{"videoId":'],
    ['a truncated file', ''],
    ['the wrong shape', '{"version":1,"writeSeq":3,"tasks":{"not":"a list"}}'],
    ['a record without a status', '{"version":1,"writeSeq":3,"tasks":[{"videoId":"v","prompt":"p","createdAt":"2025-01-01T00:00:00Z"}]}'],
  ])('moves %s aside, restores the last good copy and reports it', async (_what, content) => {
    const dir = await dirWithTwoWrites();
    const file = path.join(dir, ACTIVE_FILE);
    await fs.writeFile(file, content);
    const { lines, logger } = recordingLogger();

    const store = await openTaskStore({ dataDir: dir, logger, clock: { now: () => 1234, setTimeout, clearTimeout } });
    // The .bak is the write before the last: task 1 is back; task 2 (in the damaged copy) is in the aside file.
    expect(store.get('video_0000001')?.status).toBe('QUEUED');
    expect(store.openReport.recovered).toEqual([
      { file, movedTo: `${file}.corrupt-1234`, restoredFrom: `${file}.bak`, reason: expect.any(String) },
    ]);
    expect(await fs.readFile(`${file}.corrupt-1234`, 'utf8')).toBe(content);
    expect(lines.some((l) => l.level === 'warn' && l.file === file)).toBe(true);
    // The restored content is written back, so the next open is clean.
    await store.close();
    const again = await openTaskStore({ dataDir: dir, logger });
    expect(again.openReport.recovered).toEqual([]);
    expect(again.get('video_0000001')).toBeDefined();
    await again.close();
  });

  it('starts a damaged file empty when no good copy exists, still keeping it aside and reporting it', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const file = path.join(dir, ACTIVE_FILE);
    await fs.writeFile(file, 'garbage');
    const store = await openTaskStore({ dataDir: dir, logger: recordingLogger().logger });
    expect(store.stats().total).toBe(0);
    expect(store.openReport.recovered).toHaveLength(1);
    expect(store.openReport.recovered[0]).toMatchObject({ file, restoredFrom: null });
    expect(store.openReport.recovered[0].reason).toMatch(/not valid JSON/);
    expect(await asideFiles(dir, ACTIVE_FILE)).toHaveLength(1);
    await store.close();
  });

  it('recovers a damaged archive segment without touching the others', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const store = await openTaskStore({ dataDir: dir, logger: recordingLogger().logger, commitDelayMs: 1, segmentSize: 2 });
    for (const n of [1, 2, 3]) await store.put(sampleTask(n, { status: 'COMPLETED' }));
    await store.put(sampleTask(3, { status: 'COMPLETED', localPath: '/tmp/v3.mp4' }));
    await store.close();
    const seg2 = path.join(dir, ARCHIVE_DIR, segmentFileName(2));
    await fs.writeFile(seg2, '{"version":1,"wri');

    const again = await openTaskStore({ dataDir: dir, logger: recordingLogger().logger });
    expect(again.stats().total).toBe(3);
    expect(again.get('video_0000003')?.localPath).toBeNull(); // the previous good write of segment 2
    expect(again.openReport.recovered.map((r) => r.file)).toEqual([seg2]);
    await again.close();
  });

  it('migrates an unversioned file (a bare list) and reports the version it came from', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    await fs.writeFile(path.join(dir, ACTIVE_FILE), JSON.stringify([sampleTask(1), sampleTask(2, { status: 'COMPLETED' })]));
    const store = await openTaskStore({ dataDir: dir, logger: recordingLogger().logger });
    expect(store.openReport.migratedFrom).toBe(0);
    expect(store.stats().total).toBe(2);
    // Written back in the current form, the finished task moved to the archive.
    const onDisk = JSON.parse(await fs.readFile(path.join(dir, ACTIVE_FILE), 'utf8'));
    expect(onDisk.version).toBe(1);
    expect(onDisk.tasks.map((t: { videoId: string }) => t.videoId)).toEqual(['video_0000001']);
    expect(tasksOnDisk(path.join(dir, ARCHIVE_DIR, segmentFileName(1))).map((t) => t.videoId)).toEqual(['video_0000002']);
    await store.close();
  });

  it('refuses to open a file from a newer SoraDesk, leaving it untouched and the dir unlocked', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const content = JSON.stringify({ version: 99, writeSeq: 1, tasks: [] });
    await fs.writeFile(path.join(dir, ACTIVE_FILE), content);
    await expect(openTaskStore({ dataDir: dir, logger: recordingLogger().logger })).rejects.toThrow(/newer SoraDesk \(schema version 99/);
    expect(await fs.readFile(path.join(dir, ACTIVE_FILE), 'utf8')).toBe(content);
    await expect(fs.access(path.join(dir, 'soradesk.lock'))).rejects.toThrow();
  });

  it('keeps the later copy of a task a crash left in two files', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    await fs.mkdir(path.join(dir, ARCHIVE_DIR));
    // The segment was written (seq 8) but the crash came before the active file dropped the task (seq 7).
    await fs.writeFile(path.join(dir, ACTIVE_FILE), JSON.stringify({ version: 1, writeSeq: 7, tasks: [sampleTask(1, { status: 'PROCESSING' })] }));
    await fs.writeFile(
      path.join(dir, ARCHIVE_DIR, segmentFileName(1)),
      JSON.stringify({ version: 1, writeSeq: 8, tasks: [sampleTask(1, { status: 'COMPLETED' })] }),
    );
    const store = await openTaskStore({ dataDir: dir, logger: recordingLogger().logger });
    expect(store.get('video_0000001')?.status).toBe('COMPLETED');
    expect(store.active()).toEqual([]);
    expect(store.stats().total).toBe(1);
    expect(tasksOnDisk(path.join(dir, ACTIVE_FILE))).toEqual([]);
    await store.close();
  });
});
