// How a finished video lands on disk: a readable, unique name, and an atomic write (temp file in the
// same folder, fsync, rename), so the final name never holds half a file.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** The filesystem calls a save makes; tests swap one in to simulate a full disk. */
export interface LibraryFileOps {
  /** Makes the folder (and its parents); with `mode`, the folder itself is set to it even when it exists. */
  mkdir(dir: string, mode?: number): Promise<void>;
  /** Creates a new file (fails if it exists), with `mode` (default: 0666 less the umask). */
  create(file: string, mode?: number): Promise<{ write(chunk: Uint8Array): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** Makes the rename itself durable (best effort: not every platform can fsync a folder). */
  syncDir(dir: string): Promise<void>;
}

export const nodeLibraryFileOps: LibraryFileOps = {
  mkdir: async (dir, mode) => {
    // Parents as usual (a missing ~/Videos is not made private); only the folder itself gets `mode`,
    // before any file is written in it.
    await fsp.mkdir(dir, { recursive: true });
    if (mode !== undefined) await fsp.chmod(dir, mode);
  },
  create: async (file, mode = 0o666) => {
    const fh = await fsp.open(file, 'wx', mode);
    return {
      write: async (chunk) => {
        // FileHandle.write may write less than asked; loop until the chunk is all on disk.
        for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      },
      sync: () => fh.sync(),
      close: () => fh.close(),
    };
  },
  rename: (from, to) => fsp.rename(from, to),
  remove: (file) => fsp.rm(file, { force: true }),
  syncDir: async (dir) => {
    const fh = await fsp.open(dir, 'r').catch(() => null);
    if (!fh) return;
    await fh.sync().catch(() => undefined);
    await fh.close();
  },
};

/** The app's own library folder and its files: the owner's alone. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The disk refused: full, or the folder cannot be written. Retrying the same folder will not help. */
export class DiskError extends Error {
  constructor(readonly reason: 'full' | 'unwritable', readonly dir: string, readonly code: string) {
    super(reason === 'full' ? `the disk holding ${dir} is full (${code})` : `the folder ${dir} cannot be written (${code})`);
    this.name = 'DiskError';
  }
}

/** The upstream's body ended early or broke off: worth another try. */
export class TransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferError';
  }
}

function diskError(err: unknown, dir: string): DiskError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  return new DiskError(code === 'ENOSPC' || code === 'EDQUOT' ? 'full' : 'unwritable', dir, code);
}

const SLUG_MAX = 40;
const PART = /^\..+\.[0-9a-f]{8}\.part$/;

/**
 * `2026-11-29 a-calico-cat-playing-<videoId>`: the local completion date, the prompt's first words
 * (letters and digits of any script; everything else a dash) and the videoId, which makes it unique.
 */
export function libraryBaseName(rec: { videoId: string; prompt: string; completedAt: string | null; createdAt: string }): string {
  const d = new Date(rec.completedAt ?? rec.createdAt);
  const day = Number.isNaN(d.getTime())
    ? 'undated'
    : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const words = rec.prompt.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  const slug = [...words].slice(0, SLUG_MAX).join('').replace(/-+$/, '') || 'video';
  const id = rec.videoId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `${day} ${slug}-${id}`;
}

/** The thumbnail sits next to the video with the same name and `.jpg`. */
export function thumbnailPathFor(videoPath: string): string {
  return videoPath.replace(/\.[^./\\]*$/, '') + '.jpg';
}

/**
 * Removes a kept video and its thumbnail (deleteTask with deleteFile). A file already gone is fine;
 * any other refusal (permissions, a file in use on Windows) is thrown for the caller to report.
 */
export async function removeKeptVideo(videoPath: string): Promise<void> {
  await fsp.rm(videoPath, { force: true });
  await fsp.rm(thumbnailPathFor(videoPath), { force: true });
}

export function isPartFile(name: string): boolean {
  return PART.test(name);
}

/**
 * Streams `body` to `dir/fileName` atomically. A disk fault is a DiskError, a body that breaks off
 * or is shorter than `expectedBytes` a TransferError; either way no temp file is left behind.
 */
export async function saveAtomically(opts: {
  dir: string;
  fileName: string;
  body: AsyncIterable<unknown>;
  expectedBytes: number | null;
  ops: LibraryFileOps;
  /**
   * The app's own folder: made (or closed to) 0700 and the file 0600. A folder the user chose keeps its
   * mode and the file gets the usual one, since the user may have chosen it to share the videos.
   */
  private?: boolean;
}): Promise<{ path: string; bytes: number }> {
  const { dir, ops } = opts;
  // The body may fail while the folder and file are being made: read that later, never crash on it.
  const emitter = opts.body as Partial<NodeJS.EventEmitter>;
  if (typeof emitter.on === 'function') emitter.on('error', () => undefined);
  const final = path.join(dir, opts.fileName);
  const tmp = path.join(dir, `.${opts.fileName}.${randomBytes(4).toString('hex')}.part`);
  try {
    await ops.mkdir(dir, opts.private ? PRIVATE_DIR_MODE : undefined);
  } catch (err) {
    throw diskError(err, dir);
  }
  let file: Awaited<ReturnType<LibraryFileOps['create']>>;
  try {
    file = await ops.create(tmp, opts.private ? PRIVATE_FILE_MODE : undefined);
  } catch (err) {
    throw diskError(err, dir);
  }
  let bytes = 0;
  let closed = false;
  try {
    const iterator = opts.body[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (err) {
        throw new TransferError(`the download broke off: ${(err as Error).message}`);
      }
      if (step.done) break;
      const chunk = typeof step.value === 'string' ? Buffer.from(step.value) : (step.value as Uint8Array);
      try {
        await file.write(chunk);
      } catch (err) {
        await iterator.return?.();
        throw diskError(err, dir);
      }
      bytes += chunk.length;
    }
    // Fewer only: a body the HTTP client decompressed may be longer than the Content-Length it came with.
    if (opts.expectedBytes != null && bytes < opts.expectedBytes) {
      throw new TransferError(`the download ended after ${bytes} of ${opts.expectedBytes} bytes`);
    }
    try {
      await file.sync();
      closed = true;
      await file.close();
      await ops.rename(tmp, final);
    } catch (err) {
      throw diskError(err, dir);
    }
  } catch (err) {
    if (!closed) await file.close().catch(() => undefined);
    await ops.remove(tmp).catch(() => undefined);
    throw err;
  }
  await ops.syncDir(dir).catch(() => undefined);
  return { path: final, bytes };
}
