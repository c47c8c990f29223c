// SoraDesk's core as the app runs it (createCore: store, service, poller, doors), in a temp data dir,
// with a provider on the bench upstream and tasks tracked there, all through the public API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../electron/core/clock';
import { createCore } from '../../electron/core/core';
import type { ConnectionInfo, Core } from '../../electron/core/core-types';
import { silentLogger } from '../../electron/core/log';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import type { SecretStore } from '../../electron/core/secrets/secret-store';
import { createConfBackend } from '../../electron/core/settings/conf-backend';
import type { SettingsBackend } from '../../electron/core/settings/settings-backend';
import { connectBenchClient, type BenchClient } from './bench-client';
import type { BenchJob, BenchUpstream } from './bench-upstream';

export const BENCH_KEY = 'bench-key-0123456789abcdef';

export interface CoreUnderTest {
  core: Core;
  info: ConnectionInfo;
  dataDir: string;
  /** An authenticated client for set-up requests. */
  admin: BenchClient;
  stop(): Promise<void>;
}

export async function startCoreUnderTest(opts: { clock?: Clock; settings?: (b: SettingsBackend) => SettingsBackend; secrets?: (s: SecretStore) => SecretStore } = {}): Promise<CoreUnderTest> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-bench-core-'));
  const backend = createConfBackend({ cwd: dataDir });
  const core = createCore({
    dataDir,
    settings: opts.settings ? opts.settings(backend) : backend,
    secrets: opts.secrets ? opts.secrets(new MemorySecretStore()) : new MemorySecretStore(),
    logger: silentLogger,
    clock: opts.clock,
    locale: 'en',
    demoJobDurationMs: 3_600_000,
  });
  const info = await core.start();
  const admin = await connectBenchClient(info.wsUrl, info.token);
  return {
    core, info, dataDir, admin,
    async stop() {
      await admin.close();
      await core.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function expectReply(client: BenchClient, type: string, payload: Record<string, unknown>, replyType: string): Promise<Record<string, unknown>> {
  const reply = await client.request(type, payload);
  if (reply.type !== replyType) throw new Error(`${type} answered ${reply.type}: ${JSON.stringify(reply.payload)}`);
  return reply.payload;
}

/** Saves a provider on the bench upstream; returns its id. */
export async function addBenchProvider(c: CoreUnderTest, upstream: BenchUpstream, rateLimitPerMinute: number | null = null): Promise<string> {
  const saved = await expectReply(c.admin, 'saveProvider', { name: 'Bench upstream', dialect: 'openai', baseUrl: upstream.url, apiKey: BENCH_KEY, rateLimitPerMinute }, 'providerSaved');
  return (saved.provider as { id: string }).id;
}

/** Tracks one task per job (a few requests at a time); returns their videoIds in job order. */
export async function trackJobs(c: CoreUnderTest, providerId: string, jobs: BenchJob[]): Promise<string[]> {
  const ids: string[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const created = await expectReply(c.admin, 'trackTask', { providerId, externalId: jobs[i].id, prompt: `bench task ${i}` }, 'taskCreated');
      ids[i] = (created.task as { videoId: string }).videoId;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

export async function until(cond: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
