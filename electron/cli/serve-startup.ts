// What can stop `npm run serve` from starting, said in one line with the fix, and an exit code per cause
// (README "Exit codes"), so a script or a service manager can tell them apart.
import fs from 'node:fs';
import path from 'node:path';

export const EXIT_CODES = {
  ok: 0,
  /** Anything unexpected; the log file has the details. */
  failed: 1,
  usage: 2,
  dataDirInUse: 3,
  portInUse: 4,
  dataDirNotWritable: 5,
  diskFull: 6,
  uiNotBuilt: 7,
} as const;

export interface StartupFailure {
  exitCode: number;
  /** One line: the cause, then what to do. */
  line: string;
}

/** The UI the service serves at `/` must be built (unless `--no-ui`): else a user opens a page that cannot work. */
export function checkUiBuilt(rendererDir: string): StartupFailure | null {
  if (fs.existsSync(path.join(rendererDir, 'index.html'))) return null;
  return {
    exitCode: EXIT_CODES.uiNotBuilt,
    line: `the UI is not built (${path.join(rendererDir, 'index.html')} is missing). Run \`npm run build\` first, or add --no-ui to run only the WebSocket API.`,
  };
}

/** Creates the data dir and proves a file can be written in it, before anything else is opened there. */
export function prepareDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const probe = path.join(dataDir, `.write-check-${process.pid}`);
  try {
    const fd = fs.openSync(probe, 'w', 0o600);
    try {
      fs.writeSync(fd, 'SoraDesk start-up check\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/** Known causes by errno; null for anything else (reported as is, exit 1). */
export function explainStartFailure(err: unknown, ctx: { dataDir: string; port: number }): StartupFailure | null {
  const e = err as NodeJS.ErrnoException & { pid?: number };
  if (e?.code === 'DATA_DIR_LOCKED') {
    return {
      exitCode: EXIT_CODES.dataDirInUse,
      line: `another SoraDesk (pid ${e.pid}) is already using the data directory ${ctx.dataDir}. Stop it first, or choose another folder with --data-dir DIR.`,
    };
  }
  if (e?.syscall === 'listen' && (e.code === 'EADDRINUSE' || e.code === 'EACCES')) {
    const cause = e.code === 'EADDRINUSE' ? 'is already in use by another program' : 'may not be used by this user';
    return {
      exitCode: EXIT_CODES.portInUse,
      line: `port ${ctx.port} on 127.0.0.1 ${cause}. Stop that program, or choose another port with --port N (--port 0 picks a free one).`,
    };
  }
  if (e?.code === 'ENOSPC' || e?.code === 'EDQUOT') {
    return {
      exitCode: EXIT_CODES.diskFull,
      line: `the disk holding the data directory ${ctx.dataDir} is full (${e.code}). Free some space, or choose a folder on another disk with --data-dir DIR.`,
    };
  }
  if (e?.code && ['EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'EEXIST'].includes(e.code)) {
    return {
      exitCode: EXIT_CODES.dataDirNotWritable,
      line: `the data directory ${ctx.dataDir} cannot be written (${e.code}${e.code === 'EROFS' ? ': a read-only file system' : ''}). Fix its permissions, or choose a writable folder with --data-dir DIR.`,
    };
  }
  return null;
}
