// What the library does when the disk or the upstream says no: the user is told, nothing half-written
// is left, the task stays COMPLETED without a localPath, and the app keeps going.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviderClient } from '../providers/create-provider-client';
import { until } from '../tasks/test-support/service-harness';
import { nodeLibraryFileOps, type LibraryFileOps } from './library-file';
import { filesIn, openLibraryHarness, SAMPLE_VIDEO, type LibraryHarness } from './test-support/library-harness';

let lh: LibraryHarness | undefined;
afterEach(async () => {
  await lh?.close();
  lh = undefined;
});

/** Real files, but the disk "fills up" once `budget` bytes have been written. */
function diskThatFillsAfter(budget: number, partial: { file: string; bytes: number }[]): LibraryFileOps {
  let written = 0;
  return {
    ...nodeLibraryFileOps,
    async create(file) {
      const real = await nodeLibraryFileOps.create(file);
      return {
        ...real,
        async write(chunk) {
          if (written + chunk.length > budget) {
            // As a real full disk does: what fitted is written, then the write fails.
            await real.write(chunk.subarray(0, budget - written));
            written = budget;
            partial.push({ file, bytes: fs.statSync(file).size });
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
          written += chunk.length;
          await real.write(chunk);
        },
      };
    },
  };
}

async function settled(lh: LibraryHarness, count: number): Promise<void> {
  await until(() => lh.notices().length >= count, `${count} notice(s)`);
  await lh.library.idle();
}

describe('when the disk refuses', () => {
  it('a full disk: error notice, temp file removed, task COMPLETED without localPath, next task still tracked', async () => {
    const partial: { file: string; bytes: number }[] = [];
    lh = await openLibraryHarness({ library: { fileOps: diskThatFillsAfter(1000, partial) } });
    const done = await lh.completeTask();
    await settled(lh, 1);
    expect(partial).toHaveLength(1);
    expect(partial[0]!.bytes).toBe(1000);
    expect(path.dirname(partial[0]!.file)).toBe(lh.videosDir);
    expect(lh.notices()).toEqual([expect.objectContaining({ level: 'error', code: 'DOWNLOAD_FAILED', videoId: done.videoId, message: expect.stringContaining('the disk is full') })]);
    expect(filesIn(lh.videosDir)).toEqual([]); // the temp file was written to, then removed
    expect(lh.h.store.get(done.videoId)).toMatchObject({ status: 'COMPLETED', localPath: null });
    // The service keeps working: another task is created and finished as usual.
    expect((await lh.completeTask('after the disk filled')).status).toBe('COMPLETED');
  });

  it('a folder that cannot be created (under a regular file): error notice saying so; another folder then works', async () => {
    lh = await openLibraryHarness();
    const blocker = path.join(lh.h.dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'a file where the user pointed the library');
    const bad = path.join(blocker, 'videos');
    lh.h.settings.update({ libraryDir: bad });
    const done = await lh.completeTask();
    await settled(lh, 1);
    expect(lh.notices()).toEqual([expect.objectContaining({ level: 'error', code: 'DOWNLOAD_FAILED', message: expect.stringMatching(/not writable.*ENOTDIR/) })]);
    expect(lh.h.store.get(done.videoId)).toMatchObject({ status: 'COMPLETED', localPath: null });
    expect(fs.readFileSync(blocker, 'utf8')).toBe('a file where the user pointed the library');

    // Choosing a good folder retries what the bad one refused.
    const good = path.join(lh.h.dir, 'good');
    lh.h.settings.update({ libraryDir: good });
    await until(() => lh!.h.store.get(done.videoId)?.localPath != null, 'downloaded into the new folder');
    await lh.library.idle();
    expect(path.dirname(lh.h.store.get(done.videoId)!.localPath!)).toBe(good);
  });
});

describe('when the upstream says no', () => {
  it('retries transient faults with backoff, then keeps the video', async () => {
    lh = await openLibraryHarness();
    lh.h.settings.update({ autoDownload: false });
    const done = await lh.completeTask();
    lh.sim.faults.set({ serverError: { times: 2 } });
    lh.h.settings.update({ autoDownload: true });
    for (const wait of [10, 20]) {
      await until(() => lh!.h.clock.pending > 0, 'a retry is scheduled');
      expect(lh.h.store.get(done.videoId)?.localPath).toBeNull();
      lh.h.clock.advance(wait);
    }
    await until(() => lh!.h.store.get(done.videoId)?.localPath != null, 'downloaded on the third try');
    await lh.library.idle();
    expect(fs.readFileSync(lh.h.store.get(done.videoId)!.localPath!).equals(SAMPLE_VIDEO)).toBe(true);
    expect(lh.notices()).toEqual([]);
  });

  it('gives up after a few transient faults with a warning notice', async () => {
    lh = await openLibraryHarness({ library: { maxAttempts: 2 } });
    lh.h.settings.update({ autoDownload: false });
    const done = await lh.completeTask();
    lh.sim.faults.set({ serverError: {} });
    lh.h.settings.update({ autoDownload: true });
    await until(() => lh!.h.clock.pending > 0, 'a retry is scheduled');
    lh.h.clock.advance(10);
    await settled(lh, 1);
    expect(lh.notices()).toEqual([expect.objectContaining({ level: 'warning', code: 'DOWNLOAD_FAILED' })]);
    expect(lh.h.store.get(done.videoId)).toMatchObject({ status: 'COMPLETED', localPath: null });
    expect(filesIn(lh.videosDir)).toEqual([]);
  });

  it('content the upstream no longer has (expired, 404): a warning notice, no retry, no file', async () => {
    lh = await openLibraryHarness();
    lh.h.settings.update({ autoDownload: false });
    const done = await lh.completeTask();
    await createProviderClient({ dialect: 'openai', baseUrl: lh.sim.baseUrl, apiKey: null }).remove(done.externalId!);
    lh.h.settings.update({ autoDownload: true });
    await settled(lh, 1);
    expect(lh.notices()).toEqual([expect.objectContaining({ level: 'warning', code: 'DOWNLOAD_FAILED', videoId: done.videoId, message: expect.stringContaining('no longer has it') })]);
    expect(lh.h.clock.pending).toBe(0);
    expect(lh.contentRequests()).toBe(1);
    expect(lh.h.store.get(done.videoId)).toMatchObject({ status: 'COMPLETED', localPath: null });
    expect(filesIn(lh.videosDir)).toEqual([]);
  });

  it('stop() breaks off a download in flight and leaves no temp file', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let writing!: () => void;
    const started = new Promise<void>((r) => (writing = r));
    lh = await openLibraryHarness({
      library: {
        fileOps: {
          ...nodeLibraryFileOps,
          async create(file) {
            const real = await nodeLibraryFileOps.create(file);
            return { ...real, write: async (c) => { await real.write(c); writing(); await gate; } };
          },
        },
      },
    });
    const done = await lh.completeTask();
    await started;
    expect(filesIn(lh.videosDir).some((n) => n.endsWith('.part'))).toBe(true);
    lh.library.stop();
    release();
    await lh.library.idle();
    expect(filesIn(lh.videosDir)).toEqual([]);
    expect(lh.h.store.get(done.videoId)?.localPath).toBeNull();
  });
});
