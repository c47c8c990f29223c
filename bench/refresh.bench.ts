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
import WebSocket from 'ws';
import { ContractClient } from '@shared/client/contract-client';
import { createWsTransport } from '@shared/client/ws-transport';
import type { TaskView } from '@shared/contract/task';
import type { BenchCase } from './run';

const CLIENTS = 20;
const TASKS = 10;

let dir = '';
let core: Core;
let info: ConnectionInfo;
let clients: ContractClient[] = [];
let tasks: TaskView[] = [];
let upstream: ProviderClient;

async function setup(): Promise<void> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-bench-refresh-'));
  // Jobs that stay in progress for the whole run, so every ask really goes upstream.
  core = createCore({ dataDir: dir, settings: createConfBackend({ cwd: dir }), secrets: new MemorySecretStore(), logger: silentLogger, demoJobDurationMs: 3_600_000, locale: 'en' });
  info = await core.start();
  clients = Array.from({ length: CLIENTS }, () => new ContractClient(
    createWsTransport({ url: info.wsUrl, token: info.token, openSocket: (url) => new WebSocket(url) }),
    { reconnect: false },
  ));
  await Promise.all(clients.map((c) => c.connect()));
  const first = clients[0];
  await first.request('updateSettings', { pollIntervalMs: 3_600_000 });
  // The demo upstream accepts each job right after its creation: a push with the externalId says so.
  const accepted = new Map<string, TaskView>();
  const waiting = new Map<string, (t: TaskView) => void>();
  first.onPush((m) => {
    if (m.type !== 'taskUpdated' || m.payload.externalId === null) return;
    accepted.set(m.payload.videoId, m.payload);
    waiting.get(m.payload.videoId)?.(m.payload);
  });
  for (let i = 0; i < TASKS; i++) {
    const { videoId } = (await first.request('createTask', { prompt: `bench ${i}` })).task;
    tasks.push(accepted.get(videoId) ?? await new Promise<TaskView>((resolve) => waiting.set(videoId, resolve)));
  }
  const { providers } = await first.request('listProviders');
  const demo = providers.find((p) => p.id === 'demo')!;
  upstream = createProviderClient({ dialect: 'openai', baseUrl: demo.baseUrl, apiKey: null });
}

async function teardown(): Promise<void> {
  for (const c of clients) c.stop();
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
