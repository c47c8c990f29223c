// deleteTask keeps the video by default; with deleteFile it removes the kept file and its thumbnail,
// and a file that will not go is said (a notice), while the task is gone either way.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './test-support/service-harness';
import { sampleTask } from './test-support/store-sample-tasks';

let h: Harness;

async function keptTask(n: number): Promise<{ videoId: string; video: string; thumb: string }> {
  const dir = path.join(h.dir, 'videos');
  await fs.mkdir(dir, { recursive: true });
  const video = path.join(dir, `2026-11-29 a-kept-video-${n}.mp4`);
  const thumb = path.join(dir, `2026-11-29 a-kept-video-${n}.jpg`);
  await fs.writeFile(video, 'mp4 bytes');
  await fs.writeFile(thumb, 'jpg bytes');
  const rec = sampleTask(n, { status: 'COMPLETED', localPath: video, completedAt: new Date().toISOString() });
  await h.store.put(rec);
  return { videoId: rec.videoId, video, thumb };
}

const exists = (file: string) => fs.access(file).then(() => true, () => false);

describe('deleteTask and the kept video', () => {
  it('keeps the file by default', async () => {
    h = await openHarness({ dialect: 'openai', baseUrl: 'http://127.0.0.1:9' });
    const t = await keptTask(1);
    await h.service.deleteTask(t.videoId);
    expect(h.store.get(t.videoId)).toBeUndefined();
    expect(await exists(t.video)).toBe(true);
    expect(await exists(t.thumb)).toBe(true);
  });

  it('removes the video and its thumbnail with deleteFile, and tells every client the task is gone', async () => {
    h = await openHarness({ dialect: 'openai', baseUrl: 'http://127.0.0.1:9' });
    const t = await keptTask(2);
    await h.service.deleteTask(t.videoId, { deleteFile: true });
    expect(await exists(t.video)).toBe(false);
    expect(await exists(t.thumb)).toBe(false);
    expect(h.conn.sent.filter((m) => m.type === 'taskDeleted').map((m) => m.payload)).toEqual([{ videoId: t.videoId }]);
  });

  it('a file that cannot be removed is reported in a notice; the task is deleted all the same', async () => {
    h = await openHarness({ dialect: 'openai', baseUrl: 'http://127.0.0.1:9' });
    const t = await keptTask(3);
    // A non-empty folder where the video should be: rm refuses it as a file in use would be refused.
    await fs.rm(t.video);
    await fs.mkdir(t.video);
    await fs.writeFile(path.join(t.video, 'inside'), 'x');
    await h.service.deleteTask(t.videoId, { deleteFile: true });
    expect(h.store.get(t.videoId)).toBeUndefined();
    const notices = h.conn.sent.filter((m) => m.type === 'notice').map((m) => m.payload as { code: string; level: string; videoId: string; message: string });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ code: 'FILE_NOT_DELETED', level: 'warning', videoId: t.videoId });
    expect(notices[0].message).toContain(t.video);
  });
});
