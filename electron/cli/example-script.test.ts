// examples/create-and-wait.mjs as a user runs it: from a folder outside the project (so `ws` must be
// found through the project), against a running core on a temp data dir, until its task ends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../core/core';
import type { Core } from '../core/core-types';
import { silentLogger } from '../core/log';
import { createSecretStore } from '../core/secrets/create-secret-store';
import { createConfBackend } from '../core/settings/conf-backend';
import { afterTest, tempDirForTest } from '../core/test-support/after-test';
import { ApiClient } from '../core/test-support/api-client';

const script = path.resolve(import.meta.dirname, '../../examples/create-and-wait.mjs');
const tempDir = () => tempDirForTest('soradesk-example-');

async function runningCore(): Promise<string> {
  const dataDir = tempDir();
  const core: Core = createCore({ dataDir, settings: createConfBackend({ cwd: dataDir }), secrets: createSecretStore('memory'), logger: silentLogger, demoJobDurationMs: 1500 });
  const info = await core.start();
  afterTest(() => core.stop());
  const client = await ApiClient.connect(info.wsUrl, info.token);
  await client.request('updateSettings', { pollIntervalMs: 250 });
  await client.close();
  return dataDir;
}

function runExample(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd: tempDir() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('examples/create-and-wait.mjs', () => {
  it('creates a demo video, prints its progress and exits 0 when it completes', async () => {
    const dataDir = await runningCore();
    const { code, stdout } = await runExample(['A calico cat playing a piano', '--data-dir', dataDir]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^(PENDING|QUEUED) \d+%$/);
    expect(lines).toContain('COMPLETED 100%');
    expect(lines.at(-1)).toMatch(/^Done: /);
    const percents = lines.filter((l) => /^\w+ \d+%$/.test(l)).map((l) => Number(l.split(' ')[1].slice(0, -1)));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  }, 30_000);

  it('exits 1 with the upstream\'s reason when the job fails (the demo\'s [fail] trigger)', async () => {
    const dataDir = await runningCore();
    const { code, stderr } = await runExample(['a fox [fail]', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^FAILED: .*\[fail\]/);
  }, 30_000);

  it('exits 3 and says what to start when no SoraDesk runs on the data dir', async () => {
    const dataDir = tempDir();
    const { code, stderr } = await runExample(['anything', '--data-dir', dataDir]);
    expect(code).toBe(3);
    expect(stderr).toContain(`No SoraDesk is running on ${dataDir}`);
    expect(stderr).toContain('npm run serve');
  });
});
