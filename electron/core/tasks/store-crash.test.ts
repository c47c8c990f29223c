import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { openTaskStore } from './store';
import { makeTempDataDir } from './test-support/store-files';

const CHILD = fileURLToPath(new URL('./test-support/store-crash-child.ts', import.meta.url));
const PROJECT_ROOT = path.resolve(path.dirname(CHILD), '../../../..');
const RANK: Record<string, number> = { QUEUED: 0, PROCESSING: 1, COMPLETED: 2 };

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** Runs the storm until `acks` puts were acknowledged, then SIGKILLs it; returns the last acked status per task. */
async function stormAndKill(dir: string, acks: number): Promise<Map<string, string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Map<string, string>();
  let count = 0;
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [id, status] = line.split(' ');
      if (!status) continue;
      acked.set(id, status);
      if (++count === acks) child.kill('SIGKILL');
    }
  });
  const signal = await exited;
  expect(signal, `the storm ended by itself: ${stderr}`).toBe('SIGKILL');
  return acked;
}

describe('TaskStore crash safety', () => {
  it('keeps a process alive until its pending put is on disk', { timeout: 30_000 }, async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, 'one-put'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toBe('acked\n');
    const store = await openTaskStore({ dataDir: dir, logger: silentLogger });
    expect(store.get('video_0000001')?.status).toBe('QUEUED');
    await store.close();
  });

  it('keeps every acknowledged put after a SIGKILL mid-storm', { timeout: 60_000 }, async () => {
    const dir = await makeTempDataDir();
    dirs.push(dir);
    const acked = await stormAndKill(dir, 1500);
    expect(acked.size).toBeGreaterThan(100);

    // The dead child's lock is stale: the store takes it over.
    const store = await openTaskStore({ dataDir: dir, logger: silentLogger });
    const missing: string[] = [];
    const behind: string[] = [];
    for (const [id, status] of acked) {
      const stored = store.get(id);
      if (!stored) missing.push(id);
      else if (RANK[stored.status] < RANK[status]) behind.push(`${id}: acked ${status}, stored ${stored.status}`);
    }
    expect(missing).toEqual([]);
    expect(behind).toEqual([]);
    expect(store.openReport.recovered).toEqual([]);
    await store.close();
  });
});
