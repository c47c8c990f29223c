// For tests of the whole service against an upstream of one's own: a started core (real data dir, memory
// secret store), a WebSocket client signed in to it, and the simulator on 127.0.0.1 (its second port the
// media host) recording what reaches it. Started before a file's tests, stopped after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createCore } from '../core';
import type { Core } from '../core-types';
import { silentLogger } from '../log';
import { startSimulator, type Simulator } from '../providers/simulator/simulator';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { createConfBackend } from '../settings/conf-backend';
import { ApiClient } from './api-client';

export interface CoreAndUpstream {
  readonly api: ApiClient;
  readonly sim: Simulator;
  readonly core: Core;
}

export function useCoreAndUpstream(opts: { jobDurationMs: number; pollIntervalMs?: number }): CoreAndUpstream {
  let dataDir = '';
  let core: Core | undefined;
  let api: ApiClient | undefined;
  let sim: Simulator | undefined;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-core-upstream-'));
    sim = await startSimulator({ jobDurationMs: opts.jobDurationMs, recordRequests: true });
    core = createCore({ dataDir, settings: createConfBackend({ cwd: dataDir }), secrets: new MemorySecretStore(), logger: silentLogger, locale: 'en-US' });
    const info = await core.start();
    api = await ApiClient.connect(info.wsUrl, info.token);
    if (opts.pollIntervalMs) await api.request('updateSettings', { pollIntervalMs: opts.pollIntervalMs });
  });
  afterAll(async () => {
    await api?.close();
    await core?.stop();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const started = <T>(x: T | undefined): T => {
    if (!x) throw new Error('not started yet');
    return x;
  };
  return {
    get api() { return started(api); },
    get sim() { return started(sim); },
    get core() { return started(core); },
  };
}
