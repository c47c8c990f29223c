// A demo job created before the service restarts completes after it, though the simulator comes back on
// other ports; its video lands in the library byte for byte, and nothing is asked of whatever took the
// port the demo had.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { createCore } from './core';
import type { Core } from './core-types';
import { silentLogger } from './log';
import { defaultSampleDir } from './providers/simulator/sim-media';
import { startRecordingUpstream, type RecordingUpstream } from './providers/test-support/recording-upstream';
import { MemorySecretStore } from './secrets/memory-secret-store';
import { createConfBackend } from './settings/conf-backend';
import { ApiClient } from './test-support/api-client';

let dataDir: string;
const running: Array<{ close(): Promise<void> }> = [];
beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-demo-restart-')); });
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startService(): Promise<{ core: Core; api: ApiClient }> {
  const core = createCore({ dataDir, settings: createConfBackend({ cwd: dataDir }), secrets: new MemorySecretStore(), logger: silentLogger, demoJobDurationMs: 1500, locale: 'en-US' });
  const info = await core.start();
  const api = await ApiClient.connect(info.wsUrl, info.token);
  running.push({ close: async () => { await api.close(); await core.stop(); } });
  await api.request('updateSettings', { pollIntervalMs: 250 });
  return { core, api };
}

async function demoBaseUrl(api: ApiClient): Promise<string> {
  const reply = await api.request('listProviders');
  return (reply.payload as { providers: Array<{ id: string; baseUrl: string }> }).providers.find((p) => p.id === 'demo')!.baseUrl;
}

describe('the demo across a service restart', () => {
  it('completes a job created before the restart, on the simulator\'s new port, and keeps its video', async () => {
    const first = await startService();
    const created = await first.api.request('createTask', { prompt: 'A calico cat playing a piano on stage' });
    const videoId = (created.payload as { task: TaskView }).task.videoId;
    // And one whose video the media host serves (the second port, which moves too).
    const viaMediaHost = await first.api.request('createTask', { providerId: 'demo-replicate', prompt: 'A red fox in the snow' });
    const otherId = (viaMediaHost.payload as { task: TaskView }).task.videoId;
    for (const id of [videoId, otherId]) {
      await first.api.waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === id && (m.payload as TaskView).externalId !== null, { includePast: true });
    }
    const oldBase = await demoBaseUrl(first.api);
    await running.pop()!.close();

    // Something else takes the port the demo had.
    const squatter: RecordingUpstream = await startRecordingUpstream((_r, res) => res.end('not the demo'), Number(new URL(oldBase).port));
    running.push(squatter);
    const second = await startService();
    expect(await demoBaseUrl(second.api)).not.toBe(oldBase);
    const done = await second.api.waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId && (m.payload as TaskView).localPath !== null, { includePast: true });
    const view = done.payload as TaskView;
    expect(view.status).toBe('COMPLETED');
    const sample = fs.readFileSync(path.join(defaultSampleDir(), 'sample.mp4'));
    expect(fs.readFileSync(view.localPath!).equals(sample)).toBe(true);
    const other = (await second.api.waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === otherId && (m.payload as TaskView).localPath !== null, { includePast: true })).payload as TaskView;
    expect(fs.readFileSync(other.localPath!).equals(sample)).toBe(true);
    expect(squatter.requests).toEqual([]);
  });
});
