// The `soradesk` command when no SoraDesk runs on the data dir: it runs the core itself on that dir
// (taking the data-dir lock), and stops it cleanly after the command; when it cannot (a SoraDesk that
// holds the dir but does not answer, a dir that cannot be written) it exits 3 with the cause.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { afterTest, tempDirForTest } from '../core/test-support/after-test';
import { spawnServe } from './test-support/serve-process';
import { canMount, tmpfs } from './test-support/tmpfs';
import { events, hasFfprobe, NO_FFPROBE, probeVideo, runSoradesk, soradeskInProcess, spawnSoradesk } from './test-support/soradesk-run';

const tempDir = () => tempDirForTest('soradesk-own-');

/** A data dir no SoraDesk runs on, polling fast (settings.json as the app writes it). */
function idleDataDir(): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ settings: { pollIntervalMs: 250 } }));
  return dir;
}

/** What a stopped core leaves: no door advertised, no lock held. */
function expectStopped(dataDir: string): void {
  expect(fs.existsSync(path.join(dataDir, 'connection.json'))).toBe(false);
  expect(fs.existsSync(path.join(dataDir, 'soradesk.lock'))).toBe(false);
}

async function tasksIn(dataDir: string, search: string): Promise<TaskView[]> {
  const run = await soradeskInProcess(['--data-dir', dataDir, '--json', 'list', '--search', search]);
  expect(run.code).toBe(0);
  return events(run.stdout).filter((e) => e.event === 'task').map((e) => e.task as TaskView);
}

describe('soradesk with no SoraDesk running', () => {
  it('create --wait --out runs its own core: a playable MP4, exit 0, the video kept in the library, the core stopped', async (ctx) => {
    const dataDir = idleDataDir();
    const out = path.join(tempDir(), 'own.mp4');
    const run = await runSoradesk(['--data-dir', dataDir, 'create', 'A paper boat on a canal', '--wait', '--out', out], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    expect(run.stderr).toContain('COMPLETED 100%');
    expectStopped(dataDir);
    // Written to the data dir's store and library before the core stopped.
    const [task] = await tasksIn(dataDir, 'paper boat');
    expect(task).toMatchObject({ status: 'COMPLETED', localPath: expect.stringContaining(path.join(dataDir, 'videos')) });
    expect(fs.readFileSync(task.localPath!)).toEqual(fs.readFileSync(out));
    if (!hasFfprobe) ctx.skip(NO_FFPROBE);
    expect(probeVideo(out)).toMatchObject({ codec: 'h264', format: expect.stringContaining('mp4') });
    expect(probeVideo(out).frames).toBeGreaterThan(0);
  }, 60_000);

  it('create without --wait stays until the provider has the job, prints the id and says who follows it', async () => {
    const dataDir = idleDataDir();
    const run = await soradeskInProcess(['--data-dir', dataDir, 'create', 'a lantern on a pier']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('No SoraDesk is running, so this command ran one until it handed the job to the provider');
    const [task] = await tasksIn(dataDir, 'lantern');
    expect(task.videoId).toBe(run.stdout.trim());
    expect(task.externalId).not.toBeNull();
    expect(['QUEUED', 'PROCESSING']).toContain(task.status);
    expectStopped(dataDir);
  }, 30_000);

  it('Ctrl-C during --wait: exit 130, the task stays active in the store, the own core stopped cleanly', async () => {
    const dataDir = idleDataDir();
    const p = spawnSoradesk(['--data-dir', dataDir, 'create', 'a slow tide [slow]', '--wait'], { cwd: tempDir() });
    await expect.poll(() => p.stderr(), { timeout: 30_000 }).toMatch(/PROCESSING \d+%/);
    p.child.kill('SIGINT');
    const run = await p.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/Stopped waiting for \S+\. No SoraDesk is running, so the job goes on at the provider and SoraDesk follows it when it next runs/);
    expectStopped(dataDir);
    const [task] = await tasksIn(dataDir, 'slow tide');
    expect(task.status).toBe('PROCESSING');
  }, 60_000);

  it("takes over after a crashed SoraDesk (its connection.json names a closed port)", async () => {
    const dataDir = idleDataDir();
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((r) => closed.close(r));
    fs.writeFileSync(path.join(dataDir, 'connection.json'), JSON.stringify({ wsUrl: `ws://127.0.0.1:${port}/ws`, httpUrl: `http://127.0.0.1:${port}/`, token: 'dead', pid: 999_999 }));
    const run = await soradeskInProcess(['--data-dir', dataDir, 'providers']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('demo');
    expectStopped(dataDir);
  });

  it('exits 3 when a SoraDesk holds the data dir but does not answer (stopped with SIGSTOP)', async () => {
    const dataDir = tempDir();
    const hung = spawnServe(dataDir, ['--secret-store', 'memory', '--no-ui']);
    afterTest(() => hung.stop());
    const info = await hung.ready();
    hung.signal('SIGSTOP');
    afterTest(() => hung.signal('SIGCONT'));
    const run = await runSoradesk(['--data-dir', dataDir, 'list'], { cwd: tempDir() });
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toBe(
      `Another SoraDesk (pid ${info.pid}) holds the data directory ${dataDir} but cannot be reached (${info.wsUrl} did not answer: Opening handshake has timed out). ` +
        'Wait until it has started, or stop it, then try again; or choose another folder with --data-dir DIR.',
    );
    expect(fs.existsSync(path.join(dataDir, 'connection.json'))).toBe(true); // not its to remove
  }, 60_000);

  it('exits 3 with the cause when its own core cannot start: a data dir that is a file', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const run = await runSoradesk(['--data-dir', file, 'list'], { cwd: tempDir() });
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toBe(
      `No SoraDesk is running on ${file}, and the command could not start one: the data directory ${file} cannot be written (EEXIST). Fix its permissions, or choose a writable folder with --data-dir DIR.`,
    );
  }, 30_000);

  it.skipIf(!canMount)('exits 3 on a read-only data dir (a read-only tmpfs)', async () => {
    const dir = tmpfs('ro,size=64k')!;
    const run = await soradeskInProcess(['--data-dir', dir, 'list']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`the data directory ${dir} cannot be written (EROFS: a read-only file system)`);
  });
});

