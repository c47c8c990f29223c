// Saving one file: all or nothing under the final name, in a real temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskError, isPartFile, libraryBaseName, nodeLibraryFileOps, saveAtomically, thumbnailPathFor, TransferError } from './library-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-library-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const save = (body: Readable, expectedBytes: number | null, into = dir) =>
  saveAtomically({ dir: into, fileName: 'v.mp4', body, expectedBytes, ops: nodeLibraryFileOps });

describe('saveAtomically', () => {
  it('writes the whole body under the final name and nothing else', async () => {
    const data = Buffer.from('0123456789'.repeat(1000));
    const saved = await save(Readable.from([data.subarray(0, 4000), data.subarray(4000)]), data.length);
    expect(saved).toEqual({ path: path.join(dir, 'v.mp4'), bytes: data.length });
    expect(fs.readFileSync(saved.path).equals(data)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['v.mp4']);
  });

  it('a body shorter than its Content-Length is a TransferError and leaves nothing', async () => {
    await expect(save(Readable.from([Buffer.alloc(10)]), 20)).rejects.toBeInstanceOf(TransferError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a body that breaks off is a TransferError and leaves nothing', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.alloc(100));
    setImmediate(() => body.destroy(new Error('socket hang up')));
    await expect(save(body, null)).rejects.toThrow(/broke off: socket hang up/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a folder under a regular file is a DiskError "unwritable"', async () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    const err = await save(Readable.from([Buffer.alloc(1)]), null, path.join(dir, 'file', 'sub')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskError);
    expect(err).toMatchObject({ reason: 'unwritable', code: 'ENOTDIR' });
  });
});

describe('names', () => {
  it('date, prompt words and videoId; thumbnail beside the video; temp files recognised', () => {
    const name = libraryBaseName({ videoId: 'vid_1/..', prompt: '  A Calico cat, playing!  ', completedAt: new Date(2026, 10, 29, 12).toISOString(), createdAt: 'x' });
    expect(name).toBe('2026-11-29 a-calico-cat-playing-vid_1___');
    expect(libraryBaseName({ videoId: 'v', prompt: '!!!', completedAt: null, createdAt: 'not a date' })).toBe('undated video-v');
    expect(thumbnailPathFor('/lib/2026-11-29 a.b-v.mp4')).toBe('/lib/2026-11-29 a.b-v.jpg');
    expect(isPartFile('.2026-11-29 a-v.mp4.0a1b2c3d.part')).toBe(true);
    expect(isPartFile('2026-11-29 a-v.mp4')).toBe(false);
  });
});
