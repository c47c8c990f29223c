// A plain zip (deflate, UTF-8 names, no zip64: a diagnostics bundle is a few MB) written with Node's
// zlib alone, so the bundle is one file a user can attach to a bug report, and no dependency is needed.
import fs from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Compressed on libuv's thread pool: the service's event loop keeps answering meanwhile. */
const deflateRaw = promisify(zlib.deflateRaw);

export interface ZipEntry {
  name: string;
  data: string | Buffer;
}

/** MS-DOS date and time, as zip headers keep them (2 s resolution, local time). */
function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;

export async function zipBytes(entries: ZipEntry[], now: Date): Promise<Buffer> {
  const { time, date } = dosDateTime(now);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const packed = await deflateRaw(raw);
    const crc = zlib.crc32(raw);

    // The local header and the central directory entry share these fields, at different offsets.
    const common = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed to extract: 2.0 (deflate)
      header.writeUInt16LE(UTF8_NAMES, at + 2);
      header.writeUInt16LE(8, at + 4); // deflate
      header.writeUInt16LE(time, at + 6);
      header.writeUInt16LE(date, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(packed.length, at + 14);
      header.writeUInt32LE(raw.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
      return header;
    };
    const local = common(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    locals.push(local, name, packed);

    const central = common(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt32LE(((0o100600 << 16) >>> 0), 38); // a regular file, rw for its owner only
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Written to a temp name and renamed, mode 0600: the final name never holds half a bundle. */
export async function writeZipFile(file: string, entries: ZipEntry[], now: Date): Promise<number> {
  const bytes = await zipBytes(entries, now);
  const tmp = `${file}.${process.pid}.part`;
  try {
    await fs.promises.writeFile(tmp, bytes, { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  return bytes.length;
}
