// The player's media: the library's file first (with Range), the upstream when there is no file.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreamMediaSource } from '../tasks/media';
import { until } from '../tasks/test-support/service-harness';
import { thumbnailPathFor } from './library-file';
import { parseRange } from '../server/file-answer';
import { createLibraryMediaSource } from './library-media';
import { openLibraryHarness, SAMPLE_THUMBNAIL, SAMPLE_VIDEO, type LibraryHarness } from './test-support/library-harness';

let lh: LibraryHarness | undefined;
afterEach(async () => {
  await lh?.close();
  lh = undefined;
});

async function bytes(body: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body as Readable) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

async function keptTask(lh: LibraryHarness) {
  const done = await lh.completeTask();
  await until(() => lh.h.store.get(done.videoId)?.localPath != null, 'the video is kept');
  await lh.library.idle();
  const media = createLibraryMediaSource({ store: lh.h.store, upstream: createUpstreamMediaSource({ store: lh.h.store, service: lh.h.service }) });
  return { videoId: done.videoId, localPath: lh.h.store.get(done.videoId)!.localPath!, media };
}

describe('library media', () => {
  it('serves the kept file with Range, even once the upstream is gone', async () => {
    lh = await openLibraryHarness();
    const { videoId, media } = await keptTask(lh);
    await lh.sim.close();
    const size = SAMPLE_VIDEO.length;

    const part = await media.open(videoId, 'video', 'bytes=0-99');
    expect(part.status).toBe(206);
    expect(part.headers).toMatchObject({ 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Range': `bytes 0-99/${size}`, 'Content-Length': '100' });
    expect((await bytes(part.body)).equals(SAMPLE_VIDEO.subarray(0, 100))).toBe(true);

    const tail = await media.open(videoId, 'video', 'bytes=-10');
    expect(tail.headers['Content-Range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect((await bytes(tail.body)).equals(SAMPLE_VIDEO.subarray(size - 10))).toBe(true);

    const open = await media.open(videoId, 'video', `bytes=${size - 5}-`);
    expect((await bytes(open.body)).equals(SAMPLE_VIDEO.subarray(size - 5))).toBe(true);

    const whole = await media.open(videoId, 'video', undefined);
    expect(whole.status).toBe(200);
    expect(whole.headers['Content-Length']).toBe(String(size));
    expect((await bytes(whole.body)).equals(SAMPLE_VIDEO)).toBe(true);

    const beyond = await media.open(videoId, 'video', `bytes=${size}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['Content-Range']).toBe(`bytes */${size}`);
    expect(await bytes(beyond.body)).toHaveLength(0);

    const thumb = await media.open(videoId, 'thumbnail', undefined);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['Content-Type']).toBe('image/jpeg');
    expect((await bytes(thumb.body)).equals(SAMPLE_THUMBNAIL)).toBe(true);
  });

  it('falls back to the upstream when the user deleted the file', async () => {
    lh = await openLibraryHarness();
    const { videoId, localPath, media } = await keptTask(lh);
    fs.rmSync(localPath);
    fs.rmSync(thumbnailPathFor(localPath));
    lh.sim.clearRequests();

    const part = await media.open(videoId, 'video', 'bytes=0-99');
    expect(part.status).toBe(206);
    expect((await bytes(part.body)).equals(SAMPLE_VIDEO.subarray(0, 100))).toBe(true);
    const thumb = await media.open(videoId, 'thumbnail', undefined);
    expect((await bytes(thumb.body)).equals(SAMPLE_THUMBNAIL)).toBe(true);
    expect(lh.contentRequests()).toBe(2); // both came from the upstream

    // With the upstream gone too, there is nothing left to play: the upstream's error comes through.
    await lh.sim.close();
    await expect(media.open(videoId, 'video', undefined)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('a folder in place of the file counts as missing', async () => {
    lh = await openLibraryHarness();
    const { videoId, localPath, media } = await keptTask(lh);
    fs.rmSync(localPath);
    fs.mkdirSync(localPath);
    const res = await media.open(videoId, 'video', undefined);
    expect((await bytes(res.body)).equals(SAMPLE_VIDEO)).toBe(true);
    expect(path.basename(localPath)).toMatch(/\.mp4$/);
  });
});

describe('Range header', () => {
  it('reads one range; the rest is served whole or refused', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=10-19', 100)).toEqual([10, 19]);
    expect(parseRange('bytes=90-200', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=-500', 100)).toEqual([0, 99]);
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=20-10', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
  });
});
