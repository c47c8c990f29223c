// 20 clients x 10 tasks asking for fresh status at once. Baseline: the origin's way, every ask is its
// own upstream call (200 GETs to the demo upstream). Candidate: the same 200 asks as
// requestTaskStatus over real WebSockets to the core, which shares one upstream call per task.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../electron/core/core';
import type { Core, ConnectionInfo } from '../electron/core/core-types';
import { silentLogger } from '../electron/core/log';
import { createProviderClient } from '../electron/core/providers/create-provider-client';
import type { ProviderClient } from '../electron/core/providers/provider-client';
import { MemorySecretStore } from '../electron/core/secrets/memory-secret-store';
import { createConfBackend } from '../electron/core/settings/conf-backend';
import { ApiClient } from '../electron/core/test-support/api-client';
import type { TaskView } from '@shared/contract/task';
import type { BenchCase } from './run';

const CLIENTS = 20;
const TASKS = 10;

let dir = '';
let core: Core;
let info: ConnectionInfo;
let clients: ApiClient[] = [];
let tasks: TaskView[] = [];
let upstream: ProviderClient;

async function setup(): Promise<void> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-bench-refresh-'));
  // Jobs that stay in progress for the whole run, so every ask really goes upstream.
  core = createCore({ dataDir: dir, settings: createConfBackend({ cwd: dir }), secrets: new MemorySecretStore(), logger: silentLogger, demoJobDurationMs: 3_600_000, locale: 'en' });
  info = await core.start();
  clients = await Promise.all(Array.from({ length: CLIENTS }, () => ApiClient.connect(info.wsUrl, info.token)));
  await clients[0].request('updateSettings', { pollIntervalMs: 3_600_000 });
  for (let i = 0; i < TASKS; i++) {
    const created = await clients[0].request('createTask', { prompt: `bench ${i}` });
    const videoId = (created.payload as { task: TaskView }).task.videoId;
    const accepted = await clients[0].waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId && (m.payload as TaskView).externalId !== null, { includePast: true });
    tasks.push(accepted.payload as TaskView);
  }
  const providers = await clients[0].request('listProviders');
  const demo = (providers.payload as { providers: Array<{ id: string; baseUrl: string }> }).providers.find((p) => p.id === 'demo')!;
  upstream = createProviderClient({ dialect: 'openai', baseUrl: demo.baseUrl, apiKey: null });
}

async function teardown(): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
  await core.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  clients = [];
  tasks = [];
}

const cases: BenchCase[] = [
  {
    name: `${CLIENTS} clients x ${TASKS} tasks ask for fresh status at once (${CLIENTS * TASKS} asks)`,
    iterations: 10,
    setup,
    teardown,
    baseline: () => Promise.all(clients.flatMap(() => tasks.map((t) => upstream.retrieve(t.externalId!)))),
    candidate: () => Promise.all(clients.flatMap((c) => tasks.map((t) => c.request('requestTaskStatus', { videoId: t.videoId })))),
  },
];

export default cases;
