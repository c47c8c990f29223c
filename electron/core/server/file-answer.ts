// A file on disk as an HTTP answer, for the UI's files and the library's videos alike: one MIME table,
// one reading of the Range header (a single range: 206, 416 past the end, Accept-Ranges).
import type { FileHandle } from 'node:fs/promises';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { MediaSource } from './door-types';

/** Status, headers and a Node stream: what a MediaSource answers, and what a file becomes. */
export type FileAnswer = Awaited<ReturnType<MediaSource['open']>>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file with one `Range: bytes=` range honoured; null when it is not there (or not a file). */
export async function openFileAnswer(file: string, contentType: string, range: string | undefined): Promise<FileAnswer | null> {
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
