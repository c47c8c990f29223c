// One writer per data dir. Two services writing the same task files would silently undo each
// other's commits, so the second one is refused with a message a user can act on. A lock whose pid now
// belongs to another program (the holder crashed, the pid was reused) is recognised by the process start
// time written beside the pid, and taken over.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../clock';
import type { Logger } from '../log';
import { processStartId } from './process-start';
import { readTextOrNull } from './store-file';

export const LOCK_FILE_NAME = 'soradesk.lock';

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Another SoraDesk really is using the data dir (exit code 3 under `npm run serve`). */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(readonly pid: number, readonly dataDir: string) {
    super(`Another SoraDesk service (pid ${pid}) is already using the data directory ${dataDir}. Stop it first, or choose another data directory.`);
    this.name = 'DataDirLockedError';
  }
}

interface LockContent {
  pid: number;
  startedAt: string;
  /** processStartId(pid) of the holder; absent in locks of older builds. */
  procStart?: string;
}

/** A killed process stays a zombie until its parent reaps it: it holds nothing, so it counts as dead. */
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readTextOrNull(`/proc/${pid}/stat`).catch(() => null);
  // "pid (comm) state ...": comm may hold spaces and parentheses, so read after the last ')'.
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !(await isZombie(pid));
}

/**
 * A holder that was just killed may take a moment to go; a live one is refused after this wait. It is
 * another process's lifetime, so it runs on the system clock whatever clock the store was given.
 */
const DYING_HOLDER_WAIT_MS = 1500;

async function holderStaysAlive(pid: number): Promise<boolean> {
  const until = systemClock.now() + DYING_HOLDER_WAIT_MS;
  while (await isProcessAlive(pid)) {
    if (systemClock.now() >= until) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** A lock older than the last boot cannot belong to a process that is running now. */
const BOOT_SLACK_MS = 60_000;

/**
 * Why a lock whose pid is alive does not belong to that process, or null when it does (or we cannot
 * tell: then it is refused as before, the safe side).
 */
async function strangerHolds(lock: LockContent): Promise<string | null> {
  if (lock.procStart !== undefined) {
    const now = await processStartId(lock.pid);
    if (now !== null && now !== lock.procStart) return `pid ${lock.pid} now belongs to a process that started after the lock was written`;
    return null;
  }
  const bootedAt = systemClock.now() - os.uptime() * 1000;
  if (Date.parse(lock.startedAt) < bootedAt - BOOT_SLACK_MS) return `the lock (pid ${lock.pid}) was written before the system last started`;
  return null;
}

function parseLock(text: string): LockContent | null {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.startedAt === 'string') {
      return { pid: v.pid, startedAt: v.startedAt, ...(typeof v.procStart === 'string' ? { procStart: v.procStart } : {}) };
    }
  } catch {
    // fall through: unreadable content
  }
  return null;
}

/**
 * Creates DIR/soradesk.lock holding {pid, startedAt, procStart}. The content is written to a temp file
 * first and then hard-linked into place, so the lock never exists half-written and link() gives us the
 * exclusive create. A lock left by a dead process, or naming a pid that another program now has, is
 * taken over.
 */
export async function acquireDataDirLock(dataDir: string, opts: { logger?: Logger } = {}): Promise<DataDirLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  const procStart = await processStartId(process.pid);
  const mine: LockContent = { pid: process.pid, startedAt: new Date(systemClock.now()).toISOString(), ...(procStart ? { procStart } : {}) };
  const mineText = JSON.stringify(mine);
  const tmp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, mineText, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fs.link(tmp, lockPath);
        return makeLock(lockPath, mineText);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const existingText = await readTextOrNull(lockPath);
      if (existingText === null) continue; // released meanwhile: try again
      const existing = parseLock(existingText);
      if (existing) {
        const stranger = (await isProcessAlive(existing.pid)) ? await strangerHolds(existing) : null;
        if (stranger) opts.logger?.warn('taking over a stale data-dir lock', { lock: lockPath, reason: stranger });
        else if (await holderStaysAlive(existing.pid)) throw new DataDirLockedError(existing.pid, dataDir);
      }
      await removeStaleLock(lockPath, existingText);
    }
    throw new Error(`Could not take the lock on ${dataDir}: it keeps changing hands; try again.`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Moves the stale lock aside under a unique name, then checks it is the one we judged dead:
 * if another process replaced it in between, it is put back and we try again.
 */
async function removeStaleLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const movedText = await readTextOrNull(aside);
  if (movedText !== staleText) {
    await fs.link(aside, lockPath).catch(() => {});
  }
  await fs.rm(aside, { force: true });
}

function makeLock(lockPath: string, mineText: string): DataDirLock {
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      // Only remove the lock if it is still ours (never someone else's after a takeover).
      const current = await readTextOrNull(lockPath);
      if (current === mineText) await fs.rm(lockPath, { force: true });
    },
  };
}
