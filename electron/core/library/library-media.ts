// Media for the player: the library's file when there is one (it plays after the upstream's link
// has expired, and offline), else the upstream source. A file the user deleted counts as missing.
import type { FileHandle } from 'node:fs/promises';
import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import type { MediaSource } from '../server/door-types';
import type { TaskStore } from '../tasks/task-store';
import { thumbnailPathFor } from './library-file';

type MediaResponse = Awaited<ReturnType<MediaSource['open']>>;

export function createLibraryMediaSource(deps: { store: Pick<TaskStore, 'get'>; upstream: MediaSource }): MediaSource {
  return {
    async open(videoId, variant, range) {
      const rec = deps.store.get(videoId);
      if (rec?.status === 'COMPLETED' && rec.localPath) {
        const file = variant === 'video' ? rec.localPath : thumbnailPathFor(rec.localPath);
        const local = await serveFile(file, variant === 'video' ? 'video/mp4' : 'image/jpeg', range);
        if (local) return local;
      }
      return deps.upstream.open(videoId, variant, range);
    },
  };
}

/** The file with one `Range: bytes=` range honoured; null when it is not there (or not a file). */
export async function serveFile(file: string, contentType: string, range: string | undefined): Promise<MediaResponse | null> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(file, 'r');
  } catch {
    return null;
  }
  // Size from the open handle, so a file replaced meanwhile cannot make the headers lie.
  const stat = await fh.stat().catch(() => null);
  if (!stat?.isFile()) {
    await fh.close();
    return null;
  }
  const size = stat.size;
  const base = { 'Content-Type': contentType, 'Accept-Ranges': 'bytes' };
  const wanted = parseRange(range, size);
  if (wanted === 'unsatisfiable') {
    await fh.close();
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, body: Readable.from([]) };
  }
  if (wanted) {
    const [start, end] = wanted;
    return {
      status: 206,
      headers: { ...base, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) },
      body: fh.createReadStream({ start, end, autoClose: true }),
    };
  }
  if (size === 0) {
    await fh.close();
    return { status: 200, headers: { ...base, 'Content-Length': '0' }, body: Readable.from([]) };
  }
  return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body: fh.createReadStream({ autoClose: true }) };
}

/** [start, end] inclusive; null for the whole file (no header, several ranges or a malformed one). */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}
