// Found by the reliability suite's kill -9 storm (reliability/kill-storm.test.ts): a crash between the two
// steps that keep the .bak (hard link to `.bak.tmp`, then rename) leaves `.bak.tmp` behind, and every
// later write failed with EEXIST, so the service could not start again on that data dir.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { ACTIVE_FILE, openTaskStore } from './store';
import { makeTempDataDir, tasksOnDisk } from './test-support/store-files';
import { sampleTask } from './test-support/store-sample-tasks';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

describe('files a crash leaves behind', () => {
  it('a .bak.tmp left between the two steps of keeping the .bak does not stop later writes', async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const file = path.join(dir, ACTIVE_FILE);
    const first = await openTaskStore({ dataDir: dir, logger: silentLogger, commitDelayMs: 1 });
    await first.put(sampleTask(1));
    await first.close();
    // What a kill -9 right after link() leaves: a second name for the current file.
    await fs.link(file, `${file}.bak.tmp`);

    const again = await openTaskStore({ dataDir: dir, logger: silentLogger, commitDelayMs: 1 });
    await again.put(sampleTask(2));
    await again.close();
    expect(tasksOnDisk(file).map((t) => t.videoId).sort()).toEqual([sampleTask(1).videoId, sampleTask(2).videoId].sort());
    expect(tasksOnDisk(`${file}.bak`).map((t) => t.videoId)).toEqual([sampleTask(1).videoId]);
  });
});
