// Attack-review note: library files were 0644 in 0755 folders, so every account on the machine could read
// the user's videos (and their prompts, in the names). The app's own folder is private now; a folder the
// user chose keeps its own mode, since the user may have picked it to share. Real files, real modes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../tasks/test-support/service-harness';
import { openLibraryHarness, type LibraryHarness } from './test-support/library-harness';

let lh: LibraryHarness | undefined;
const extra: string[] = [];
afterEach(async () => {
  await lh?.close();
  lh = undefined;
  for (const d of extra.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

async function keep(lh: LibraryHarness): Promise<string> {
  const done = await lh.completeTask('a private lighthouse');
  await until(() => lh.h.store.get(done.videoId)?.localPath != null, 'the video is kept');
  await lh.library.idle();
  return lh.h.store.get(done.videoId)!.localPath!;
}

describe.skipIf(!posix)('library file modes', () => {
  it('the app\'s own folder is 0700 and its files 0600 (video and thumbnail)', async () => {
    lh = await openLibraryHarness();
    const video = await keep(lh);
    expect(path.dirname(video)).toBe(lh.videosDir);
    expect(mode(lh.videosDir).toString(8)).toBe('700');
    expect(mode(video).toString(8)).toBe('600');
    const thumb = video.replace(/\.mp4$/, '.jpg');
    await until(() => fs.existsSync(thumb), 'the thumbnail is kept');
    expect(mode(thumb).toString(8)).toBe('600');
  });

  it('an own folder left 0755 by an older version is closed to 0700', async () => {
    lh = await openLibraryHarness();
    fs.mkdirSync(lh.videosDir, { mode: 0o755 });
    fs.chmodSync(lh.videosDir, 0o755);
    await keep(lh);
    expect(mode(lh.videosDir).toString(8)).toBe('700');
  });

  it('a folder the user chose keeps its mode, and its files get the usual mode (the user may share it)', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-shared-'));
    extra.push(shared);
    fs.chmodSync(shared, 0o775);
    lh = await openLibraryHarness();
    lh.h.settings.update({ libraryDir: shared });
    const video = await keep(lh);
    expect(path.dirname(video)).toBe(shared);
    expect(mode(shared).toString(8)).toBe('775');
    const umask = process.umask();
    expect(mode(video)).toBe(0o666 & ~umask);
  });
});
