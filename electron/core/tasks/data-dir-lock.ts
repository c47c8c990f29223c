// One writer per data dir. Two services writing the same task files would silently undo each
// other's commits, so the second one is refused with a message a user can act on.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock';
import { readTextOrNull } from './store-file';

export const LOCK_FILE_NAME = 'soradesk.lock';

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  startedAt: string;
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

function parseLock(text: string): LockContent | null {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.startedAt === 'string') {
      return { pid: v.pid, startedAt: v.startedAt };
    }
  } catch {
    // fall through: unreadable content
  }
  return null;
}

/**
 * Creates DIR/soradesk.lock holding {pid, startedAt}. The content is written to a temp file first
 * and then hard-linked into place, so the lock never exists half-written and link() gives us the
 * exclusive create. A lock left by a dead process is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  const mine: LockContent = { pid: process.pid, startedAt: new Date(systemClock.now()).toISOString() };
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
      if (existing && (await holderStaysAlive(existing.pid))) {
        throw new Error(
          `Another SoraDesk service (pid ${existing.pid}) is already using the data directory ${dataDir}. ` +
            'Stop it first, or choose another data directory.',
        );
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
