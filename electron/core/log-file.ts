// The log file in the data dir: `logs/soradesk.log`, rotated before a line would take it past its cap to
// `soradesk.1.log` … `soradesk.<keep>.log` (the oldest dropped), so the folder never holds more than
// (keep + 1) × maxBytes. Lines are written synchronously: the last line before a crash is on disk.
import fs from 'node:fs';
import path from 'node:path';

export const LOG_DIR_NAME = 'logs';
export const LOG_FILE_NAME = 'soradesk.log';
export const DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 3;

export function logDirFor(dataDir: string): string {
  return path.join(dataDir, LOG_DIR_NAME);
}

/** `soradesk.log` for 0, `soradesk.N.log` for the N-th older one. */
export function rotatedLogName(n: number): string {
  return n === 0 ? LOG_FILE_NAME : LOG_FILE_NAME.replace(/\.log$/, `.${n}.log`);
}

export interface RotatingLogFileOptions {
  dir: string;
  maxBytes?: number;
  keep?: number;
  /** Told once per failure streak when a line cannot be written (a full or read-only disk). */
  onError?: (err: Error) => void;
}

export class RotatingLogFile {
  readonly dir: string;
  readonly path: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private fd: number | null = null;
  private size = 0;
  private failing = false;

  constructor(private readonly opts: RotatingLogFileOptions) {
    this.dir = opts.dir;
    this.path = path.join(opts.dir, LOG_FILE_NAME);
    this.maxBytes = opts.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.keep = opts.keep ?? DEFAULT_LOG_KEEP;
  }

  /** A sink for createLogger: never throws, so a disk problem cannot take the app down with it. */
  readonly write = (line: string): void => {
    const bytes = Buffer.from(line + '\n');
    try {
      if (this.fd === null) this.open();
      if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
      fs.writeSync(this.fd!, bytes);
      this.size += bytes.length;
      this.failing = false;
    } catch (err) {
      this.closeFd();
      if (!this.failing) this.opts.onError?.(err as Error);
      this.failing = true;
    }
  };

  close(): void {
    this.closeFd();
  }

  private open(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.fd = fs.openSync(this.path, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    // Another process on this data dir (a refused second start) may have rotated already: then our fd
    // points at soradesk.1.log, and reopening the name is all that is left to do.
    const ours = fs.fstatSync(this.fd!);
    const named = fs.statSync(this.path, { throwIfNoEntry: false });
    this.closeFd();
    if (named && named.ino === ours.ino && named.dev === ours.dev) {
      fs.rmSync(path.join(this.dir, rotatedLogName(this.keep)), { force: true });
      for (let n = this.keep - 1; n >= 0; n--) {
        try {
          fs.renameSync(path.join(this.dir, rotatedLogName(n)), path.join(this.dir, rotatedLogName(n + 1)));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    }
    this.open();
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = null;
  }
}

/** The log files of a log dir, newest first (the current one, then .1, .2 …). */
export function listLogFiles(dir: string): string[] {
  const numbered = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    .map((name) => ({ name, m: /^soradesk(?:\.(\d+))?\.log$/.exec(name) }))
    .filter((e) => e.m !== null)
    .map((e) => ({ name: e.name, n: Number(e.m![1] ?? 0) }));
  return numbered.sort((a, b) => a.n - b.n).map((e) => path.join(dir, e.name));
}
