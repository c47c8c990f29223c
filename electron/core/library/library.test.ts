// The library keeps finished videos on disk: real service, store, hub and demo simulator.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { silentLogger } from '../log';
import { RecordingConnection, until } from '../tasks/test-support/service-harness';
import { sampleTask } from '../tasks/test-support/store-sample-tasks';
import { createLibrary, UNKNOWN_LINK_LIFETIME_MS } from './library';
import { filesIn, openLibraryHarness, SAMPLE_THUMBNAIL, SAMPLE_VIDEO, type LibraryHarness } from './test-support/library-harness';

let lh: LibraryHarness | undefined;
afterEach(async () => {
  await lh?.close();
  lh = undefined;
});

/** A client that notes, as each push arrives, whether the file it names is already on disk. */
class FileCheckingConnection extends RecordingConnection {
  readonly seenWithFile: Array<{ localPath: string; existed: boolean; size: number }> = [];
  override send(msg: ServerEnvelope): void {
    super.send(msg);
    const localPath = msg.type === 'taskUpdated' ? (msg.payload as TaskView).localPath : null;
    if (localPath) {
      const existed = fs.existsSync(localPath);
      this.seenWithFile.push({ localPath, existed, size: existed ? fs.statSync(localPath).size : -1 });
    }
  }
}

async function kept(lh: LibraryHarness, videoId: string): Promise<string> {
  await until(() => lh.h.store.get(videoId)?.localPath != null, 'the task gets its localPath');
  await lh.library.idle();
  return lh.h.store.get(videoId)!.localPath!;
}

describe('keeping finished videos', () => {
  it('downloads a completed task into the library, then stores and pushes its localPath', async () => {
    lh = await openLibraryHarness();
    const watcher = new FileCheckingConnection('watcher');
    lh.h.hub.add(watcher);
    lh.h.hub.joinUser(watcher, 'local');

    const done = await lh.completeTask('A calico cat playing a piano on stage!');
    expect(done.localPath).toBeNull();
    const localPath = await kept(lh, done.videoId);

    expect(path.dirname(localPath)).toBe(lh.videosDir);
    expect(path.basename(localPath)).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} a-calico-cat-playing-a-piano-on-stage-${done.videoId}\\.mp4$`));
    const bytes = fs.readFileSync(localPath);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(bytes.length).toBe(SAMPLE_VIDEO.length);
    expect(bytes.equals(SAMPLE_VIDEO)).toBe(true);
    expect(fs.readFileSync(localPath.replace(/\.mp4$/, '.jpg')).equals(SAMPLE_THUMBNAIL)).toBe(true);
    expect(filesIn(lh.videosDir)).toHaveLength(2); // no temp file left behind

    // The push came once the file was whole on disk, and the store already had it.
    expect(watcher.seenWithFile).toEqual([{ localPath, existed: true, size: SAMPLE_VIDEO.length }]);
    const pushed = watcher.updates(done.videoId).at(-1)!;
    expect(pushed).toMatchObject({ status: 'COMPLETED', localPath, progress: 100 });
    expect(lh.h.service.getTask(done.videoId).localPath).toBe(localPath);
    expect(lh.notices()).toEqual([]);
  });

  it('downloads nothing while autoDownload is off', async () => {
    lh = await openLibraryHarness();
    lh.h.settings.update({ autoDownload: false });
    const done = await lh.completeTask();
    await lh.library.idle();
    expect(lh.contentRequests()).toBe(0);
    expect(filesIn(lh.videosDir)).toEqual([]);
    expect(lh.h.store.get(done.videoId)?.localPath).toBeNull();
  });

  it('turning autoDownload on fetches what finished while it was off', async () => {
    lh = await openLibraryHarness();
    lh.h.settings.update({ autoDownload: false });
    const done = await lh.completeTask();
    lh.h.settings.update({ autoDownload: true });
    expect(fs.readFileSync(await kept(lh, done.videoId)).equals(SAMPLE_VIDEO)).toBe(true);
  });

  it('honours libraryDir; changing it moves only the downloads that follow', async () => {
    lh = await openLibraryHarness();
    const first = await lh.completeTask('first video');
    const firstPath = await kept(lh, first.videoId);
    expect(path.dirname(firstPath)).toBe(lh.videosDir);

    const chosen = path.join(lh.h.dir, 'My Videos', 'SoraDesk');
    lh.h.settings.update({ libraryDir: chosen });
    const second = await lh.completeTask('second video');
    const secondPath = await kept(lh, second.videoId);
    expect(path.dirname(secondPath)).toBe(chosen);
    expect(fs.readFileSync(secondPath).equals(SAMPLE_VIDEO)).toBe(true);
    // The first stays where it was, and the task still points at it.
    expect(lh.h.store.get(first.videoId)?.localPath).toBe(firstPath);
    expect(fs.existsSync(firstPath)).toBe(true);
  });

  it('keeps the file when the task is deleted (the video is the user\'s)', async () => {
    lh = await openLibraryHarness();
    const done = await lh.completeTask();
    const localPath = await kept(lh, done.videoId);
    await lh.h.service.deleteTask(done.videoId);
    expect(lh.h.store.get(done.videoId)).toBeUndefined();
    expect(fs.readFileSync(localPath).equals(SAMPLE_VIDEO)).toBe(true);
  });

  it('names files readably whatever the prompt holds, and never twice the same', async () => {
    lh = await openLibraryHarness();
    const a = await lh.completeTask('../../etc/passwd: 一只猫在弹钢琴 <b>*?</b> ' + 'very long '.repeat(40));
    const b = await lh.completeTask('../../etc/passwd: 一只猫在弹钢琴 <b>*?</b> ' + 'very long '.repeat(40));
    const pa = await kept(lh, a.videoId);
    const pb = await kept(lh, b.videoId);
    expect(pa).not.toBe(pb);
    for (const p of [pa, pb]) {
      expect(path.dirname(p)).toBe(lh.videosDir);
      const name = path.basename(p);
      expect(name).toMatch(/^\d{4}-\d{2}-\d{2} etc-passwd-一只猫在弹钢琴-b-b-very-long-[a-z-]*-vid_[0-9a-f]+\.mp4$/);
      expect(Buffer.byteLength(name)).toBeLessThan(200);
    }
  });

  it('at start, resumes downloads a previous run missed, but not those whose link has expired', async () => {
    lh = await openLibraryHarness({ start: false });
    const missed = await lh.completeTask('missed while the app was closing');
    const expired = await lh.completeTask('an old one');
    const rec = lh.h.store.get(expired.videoId)!;
    await lh.h.store.put({ ...rec, expiresAt: new Date(lh.h.clock.now() - 1000).toISOString() });
    const { dir } = lh.h;
    const sim = lh.sim;
    await lh.close({ keepDir: true, keepSim: true });
    expect(filesIn(path.join(dir, 'videos'))).toEqual([]);

    lh = await openLibraryHarness({ dir, sim });
    const localPath = await kept(lh, missed.videoId);
    expect(fs.readFileSync(localPath).equals(SAMPLE_VIDEO)).toBe(true);
    await lh.library.idle();
    expect(lh.h.store.get(expired.videoId)?.localPath).toBeNull();
    expect(filesIn(lh.videosDir).filter((n) => n.includes(expired.videoId))).toEqual([]);
  });

  it('at start, reads the settings once and queues nothing for a long history whose links are gone; a recent one is kept', async () => {
    lh = await openLibraryHarness({ start: false });
    const recent = await lh.completeTask('finished just now, link without a stated expiry');
    const longAgo = new Date(lh.h.clock.now() - UNKNOWN_LINK_LIFETIME_MS - 60_000).toISOString();
    // A long history: finished long ago, no file, no stated expiry (the start-up scan used to queue them all).
    await Promise.all(Array.from({ length: 500 }, (_, n) =>
      lh!.h.store.put(sampleTask(n, { status: 'COMPLETED', providerId: lh!.h.providerId, completedAt: longAgo, updatedAt: longAgo }))));
    const { dir } = lh.h;
    const sim = lh.sim;
    await lh.close({ keepDir: true, keepSim: true });

    let settingsReads = 0;
    lh = await openLibraryHarness({ dir, sim, start: false });
    const settings = lh.h.settings;
    const counted = { get: () => (settingsReads++, settings.get()), onChange: (l: Parameters<typeof settings.onChange>[0]) => settings.onChange(l) };
    const library = createLibrary({
      store: lh.h.store, hub: lh.h.hub, service: lh.h.service, settings: counted, clock: lh.h.clock, logger: silentLogger, defaultDir: lh.videosDir, retryBaseMs: 10,
    });
    library.start();
    try {
      await until(() => lh!.h.store.get(recent.videoId)?.localPath != null, 'the recent video kept');
      await library.idle();
      expect(lh.contentRequests()).toBe(2); // the recent task's video and thumbnail, nothing else
      expect(lh.notices()).toEqual([]);
      // Once at start, and a few for the one download that ran: not one per stored task (500 here).
      expect(settingsReads).toBeLessThan(10);
    } finally {
      library.stop();
      await library.idle();
    }
  });
});
