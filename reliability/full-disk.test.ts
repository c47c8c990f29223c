// A full disk during a commit, and a read-only data dir. The data dir is a small tmpfs (root only: mount
// needs it; skipped otherwise, saying why); the service runs in its own process, the disk is filled up
// with a file, and emptied again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { spawnServe } from '../electron/cli/test-support/serve-process';
import { tasksOnDisk } from '../electron/core/tasks/test-support/store-files';
import { ApiClient } from '../electron/core/test-support/api-client';
import { caseDir, keepFrames, recordFigure } from './support/run-root';
import { startService, type ServiceProcess } from './support/service-process';

const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];
let service: ServiceProcess | null = null;
afterAll(async () => {
  await service?.stop();
  for (const m of mounts) { try { execFileSync('umount', [m]); } catch { /* already gone */ } }
});

function tmpfs(name: string, size: string): string | null {
  const dir = caseDir(name);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}

/** Writes `file` until the disk is full; returns how many bytes fit. */
function fill(file: string): number {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024, 7);
  let bytes = 0;
  try {
    for (;;) bytes += fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/** A task's status as the files on disk hold it (active file with its journal, then the archive, where terminal tasks go). */
function storedStatus(dir: string, videoId: string): string | undefined {
  const files = [path.join(dir, 'tasks-active.json'), ...(fs.existsSync(path.join(dir, 'archive')) ? fs.readdirSync(path.join(dir, 'archive')).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, 'archive', f)) : [])];
  for (const f of files) {
    const found = tasksOnDisk(f).find((t) => t.videoId === videoId);
    if (found) return found.status;
  }
  return undefined;
}

/** The active tasks as the disk holds them (tasks-active.json and the changes its journal holds since). */
const activeOnDisk = (dir: string) => JSON.stringify(tasksOnDisk(path.join(dir, 'tasks-active.json')));

const taskOf = (m: ServerEnvelope) => (m.payload as { task: TaskView }).task;

describe.skipIf(!isRoot)('a full disk during a commit (a tmpfs; needs root to mount)', () => {
  it('the old file stays intact, the client is told, and the write goes through when space returns', async () => {
    const dir = tmpfs('full-disk', '2m');
    if (!dir) return void recordFigure({ case: 'full disk during a commit', done: 'mount a 2 MiB tmpfs', expected: '', figure: 'skipped: mount -t tmpfs failed here', ok: true });
    service = await startService(dir, 120_000, caseDir('full-disk-logs'));
    const c = await ApiClient.connect(service.info.wsUrl, service.info.token);
    await c.request('updateSettings', { autoDownload: false });
    const first: TaskView[] = [];
    for (let i = 0; i < 3; i++) first.push(taskOf(await c.request('createTask', { prompt: `before the disk filled ${i}` })));
    await c.waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === first[2].videoId && (m.payload as TaskView).status === 'QUEUED', { includePast: true });
    await new Promise((r) => setTimeout(r, 300));
    const before = activeOnDisk(dir);

    const filler = path.join(dir, 'filler');
    const filled = fill(filler);
    // A change is one line appended to the active tasks' journal: a short one can still fit in the free
    // end of the journal's last page and be stored; this one needs new pages, which a full disk has not.
    const refused = await c.request('createTask', { prompt: `while the disk is full ${'x'.repeat(12_000)}` });
    const cancel = await c.request('cancelTask', { videoId: first[0].videoId });
    await new Promise((r) => setTimeout(r, 500));
    const during = activeOnDisk(dir);
    const intact = during === before && (JSON.parse(during) as unknown[]).length === 3;
    const leftovers = fs.readdirSync(dir).filter((f) => !['filler', 'tasks-active.json', 'tasks-active.json.bak', 'tasks-active.journal', 'settings.json', 'soradesk.lock', 'connection.json', 'archive', 'demo-simulator.json'].includes(f));

    fs.rmSync(filler);
    const t0 = Date.now();
    let retried = false;
    while (Date.now() - t0 < 15_000 && !retried) {
      await new Promise((r) => setTimeout(r, 100));
      retried = storedStatus(dir, first[0].videoId) === 'CANCELLED';
    }
    const retryMs = Date.now() - t0;
    const strayAfter = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    const after = await c.request('createTask', { prompt: 'after space returned' });
    const stillAlive = service.alive();
    await new Promise((r) => setTimeout(r, 500));
    const cancelPushed = c.messages.some((m) => m.type === 'taskUpdated' && m.id === undefined && (m.payload as TaskView).videoId === first[0].videoId && (m.payload as TaskView).status === 'CANCELLED');
    keepFrames('full-disk', c.messages);
    await c.close();
    await service.stop();
    service = null;

    const refusedMsg = refused.type === 'error' ? (refused.payload as { message: string }).message : `no error: ${refused.type}`;
    const cancelSaid = cancel.type === 'error' ? `error ${(cancel.payload as { code: string }).code} "${(cancel.payload as { message: string }).message.slice(0, 80)}"` : `${cancel.type} ${(cancel.payload as TaskView).status}`;
    recordFigure({
      case: 'full disk during a commit',
      done: `service on a 2 MiB tmpfs with 3 active tasks; a file filled the rest (${(filled / 1024).toFixed(0)} KiB); createTask and cancelTask while full; the file removed`,
      expected: 'the active tasks on disk (tasks-active.json and its journal) unchanged and valid while full; the client told why; the pending write retried and on disk once space returns; the service alive',
      figure: `file intact while full: ${intact}; createTask answered ${refused.type} "${refusedMsg.slice(0, 110)}"; cancelTask answered ${cancelSaid}; stray files while full: ${leftovers.length ? leftovers.join(', ') : 'none'}, after: ${strayAfter.length ? strayAfter.join(', ') : 'none'}; the cancel was on disk ${retried ? `${retryMs} ms after space returned` : 'never (15 s)'} (pushed then: ${cancelPushed}); next createTask: ${after.type}; alive: ${stillAlive}`,
      ok: intact && refused.type === 'error' && /disk is full/.test(refusedMsg) && retried && after.type === 'taskCreated' && stillAlive,
    });
    expect(intact).toBe(true);
    expect(refusedMsg).toMatch(/disk is full/);
    expect(retried).toBe(true);
    expect(after.type).toBe('taskCreated');
  });

  it('a read-only data dir is refused at start, clearly', async () => {
    const dir = tmpfs('read-only', '1m');
    if (!dir) return void recordFigure({ case: 'read-only data dir', done: 'mount a tmpfs', expected: '', figure: 'skipped: mount failed here', ok: true });
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const proc = spawnServe(dir, ['--secret-store', 'memory', '--no-ui']);
    const exit = await Promise.race([proc.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    if (!exit) await proc.stop();
    const said = proc.output().trim().split('\n').filter((l) => /could not start|read-only|EROFS/i.test(l)).at(-1) ?? proc.output().slice(-200);
    recordFigure({
      case: 'read-only data dir',
      done: 'npm run serve with --data-dir on a tmpfs remounted read-only',
      expected: 'exit with a non-zero code and a message that names the data dir and the cause',
      figure: `exit code ${exit?.code ?? 'none (still running after 30 s)'}; said: ${said.slice(0, 200)}`,
      ok: exit !== null && exit.code !== 0 && said.includes(dir) && /read-only|EROFS/i.test(said),
    });
    expect(exit?.code).not.toBe(0);
    expect(said).toContain(dir);
    expect(said).toMatch(/read-only|EROFS/i);
  });
});

if (!isRoot) {
  recordFigure({ case: 'full disk / read-only data dir', done: 'not run', expected: '', figure: 'skipped: not root, so no tmpfs can be mounted', ok: true });
}
