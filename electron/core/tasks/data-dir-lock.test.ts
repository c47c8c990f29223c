import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { DataDirLockedError, LOCK_FILE_NAME, acquireDataDirLock } from './data-dir-lock';
import { processStartId } from './process-start';

const projectRoot = path.resolve(import.meta.dirname, '../../..');

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'soradesk-lock-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** The pid of a process that has certainly exited (spawned, then waited for). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

/** A process that sleeps: a live pid that is not SoraDesk. */
function sleeper() {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
}

/** The start id of a process that has exited since: what a crashed holder wrote into its lock. */
async function startIdOfAnExitedProcess(): Promise<string> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
  const id = await processStartId(child.pid!);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  // Start ids count clock ticks (10 ms on Linux): a process started next must not share its tick.
  await new Promise((r) => setTimeout(r, 30));
  return id!;
}

describe('process start id', () => {
  it.skipIf(process.platform === 'win32')('is stable for one process, differs between processes, and is null for a gone one', async () => {
    const own = await processStartId(process.pid);
    expect(own).toEqual(expect.any(String));
    expect(await processStartId(process.pid)).toBe(own);
    const other = sleeper();
    try {
      const otherId = await processStartId(other.pid!);
      expect(otherId).toEqual(expect.any(String));
      expect(otherId).not.toBe(own);
    } finally {
      other.kill('SIGKILL');
    }
    expect(await processStartId(await deadPid())).toBeNull();
  });
});

describe('data dir lock', () => {
  it('writes {pid, startedAt, procStart} and removes the lock on release', async () => {
    const dir = await tempDir();
    const lock = await acquireDataDirLock(dir);
    const content = JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8'));
    expect(content.pid).toBe(process.pid);
    expect(Number.isNaN(Date.parse(content.startedAt))).toBe(false);
    expect(content.procStart).toBe(await processStartId(process.pid));
    await lock.release();
    await expect(fs.access(path.join(dir, LOCK_FILE_NAME))).rejects.toThrow();
    // Free again: a new owner can take it.
    await (await acquireDataDirLock(dir)).release();
  });

  it('refuses a second owner while the first is alive, naming the pid and the dir', async () => {
    const dir = await tempDir();
    const lock = await acquireDataDirLock(dir);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(
      `Another SoraDesk service (pid ${process.pid}) is already using the data directory ${dir}`,
    );
    // The refused attempt left the holder's lock in place.
    const content = JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8'));
    expect(content.pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a lock held by a live SoraDesk in another process', async () => {
    const dir = await tempDir();
    const script = `
      import { acquireDataDirLock } from ${JSON.stringify(path.join(import.meta.dirname, 'data-dir-lock.ts'))};
      await acquireDataDirLock(${JSON.stringify(dir)});
      console.log('locked');
      setTimeout(() => {}, 60000);`;
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => { if (d.toString().includes('locked')) resolve(); });
        holder.on('exit', () => reject(new Error('the holder exited')));
      });
      const err = await acquireDataDirLock(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect(err).toMatchObject({ code: 'DATA_DIR_LOCKED', pid: holder.pid, message: expect.stringContaining(`Another SoraDesk service (pid ${holder.pid}) is already using the data directory ${dir}`) });
      expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(holder.pid);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a lock whose pid now belongs to another live program (pid reused after a crash)', async () => {
    const dir = await tempDir();
    const crashedHoldersStart = await startIdOfAnExitedProcess();
    const stranger = sleeper();
    try {
      const lines: string[] = [];
      await fs.writeFile(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: stranger.pid, startedAt: new Date(Date.now() - 60_000).toISOString(), procStart: crashedHoldersStart }));
      const lock = await acquireDataDirLock(dir, { logger: createLogger({ write: (l) => lines.push(l) }) });
      expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
      expect(stranger.exitCode).toBeNull(); // the other program is left alone
      expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'taking over a stale data-dir lock', reason: expect.stringContaining(`pid ${stranger.pid} now belongs to`) }));
      await lock.release();
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('an older build\'s lock (no start id) naming a live process is refused, unless it predates the last boot', async () => {
    const dir = await tempDir();
    const other = sleeper();
    try {
      const file = path.join(dir, LOCK_FILE_NAME);
      await fs.writeFile(file, JSON.stringify({ pid: other.pid, startedAt: new Date().toISOString() }));
      await expect(acquireDataDirLock(dir)).rejects.toThrow(`(pid ${other.pid})`);
      const beforeBoot = new Date(Date.now() - os.uptime() * 1000 - 3_600_000).toISOString();
      await fs.writeFile(file, JSON.stringify({ pid: other.pid, startedAt: beforeBoot }));
      const lock = await acquireDataDirLock(dir);
      expect(JSON.parse(await fs.readFile(file, 'utf8')).pid).toBe(process.pid);
      await lock.release();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    await fs.writeFile(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, startedAt: '2020-01-01T00:00:00.000Z' }));
    const lock = await acquireDataDirLock(dir);
    const content = JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8'));
    expect(content.pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock whose holder was just killed and is not reaped yet (a zombie)', async () => {
    const dir = await tempDir();
    // `sleep` never reaps: the background child it inherits from sh stays a zombie while it runs.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30']);
    try {
      const pid = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
      await new Promise((r) => setTimeout(r, 400));
      expect((await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.[0]).toBe('Z');
      await fs.writeFile(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, startedAt: new Date().toISOString() }));
      const lock = await acquireDataDirLock(dir);
      expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
      await lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('takes over an unreadable lock file (a crash while it was created by an older build)', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, LOCK_FILE_NAME), '{"pid": 12');
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('release does not remove a lock that another owner took over', async () => {
    const dir = await tempDir();
    const lock = await acquireDataDirLock(dir);
    const pid = await deadPid();
    const foreign = JSON.stringify({ pid, startedAt: 'x' });
    await fs.writeFile(path.join(dir, LOCK_FILE_NAME), foreign);
    await lock.release();
    expect(await fs.readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')).toBe(foreign);
  });

  it('creates the data dir when it does not exist yet', async () => {
    const dir = path.join(await tempDir(), 'nested', 'data');
    const lock = await acquireDataDirLock(dir);
    await fs.access(path.join(dir, LOCK_FILE_NAME));
    await lock.release();
  });
});
