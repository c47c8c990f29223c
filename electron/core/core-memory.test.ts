// State held in memory, through the whole core as built by createCore: while 1,000 polls run, the
// keychain is read once per provider and settings.json not at all; a hand edit of settings.json while
// running reaches every client; a hand edit of a provider makes its key be read again.
//
// The keychain is the real Secret Service when a session bus is there (npm run test:all runs the suite
// inside dbus-run-session with gnome-keyring), so the reads counted are reads that reached the OS
// keychain; without a bus (a developer's shell) the memory store stands in. Either way the counter
// wraps the SecretStore createCore is given, and settings reads are counted twice: calls into the
// SettingsBackend given to createCore, and real fs.readFileSync calls on settings.json under conf.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { Settings } from '@shared/contract/settings';
import { createCore } from './core';
import type { Core } from './core-types';
import { silentLogger } from './log';
import { providerAccount } from './secrets/create-secret-store';
import { KeychainSecretStore } from './secrets/keychain-secret-store';
import { MemorySecretStore } from './secrets/memory-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { createConfBackend } from './settings/conf-backend';
import type { SettingsBackend } from './settings/settings-backend';
import { startTestUpstream, type TestUpstream } from './tasks/test-support/service-upstream';
import { until } from './tasks/test-support/service-harness';

const realKeychain = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

let dataDir: string;
let core: Core;
let secrets: SecretStore;
const keyReads: string[] = [];
let backendReads = 0;
let fileReads = 0;
const accounts: string[] = [];

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-core-memory-'));
  const settingsFile = path.join(dataDir, 'settings.json');
  const realRead = fs.readFileSync;
  vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
    if (typeof p === 'string' && path.resolve(p) === settingsFile) fileReads++;
    return (realRead as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(p, o);
  }) as typeof fs.readFileSync);
  const conf = createConfBackend({ cwd: dataDir });
  const countedSettings: SettingsBackend = {
    get: <T>(key: string) => { backendReads++; return conf.get<T>(key); },
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
    get path() { return conf.path; },
  };
  secrets = realKeychain ? new KeychainSecretStore(`SoraDeskTest-${randomBytes(4).toString('hex')}`) : new MemorySecretStore();
  const countedSecrets: SecretStore = {
    kind: secrets.kind,
    get: (account) => { keyReads.push(account); return secrets.get(account); },
    set: (account, key) => { accounts.push(account); return secrets.set(account, key); },
    delete: (account) => secrets.delete(account),
  };
  core = createCore({ dataDir, settings: countedSettings, secrets: countedSecrets, logger: silentLogger, locale: 'en-US' });
  await core.start();
});

afterEach(async () => {
  await core.stop();
  vi.restoreAllMocks();
  for (const a of accounts.splice(0)) await secrets.delete(a);
  keyReads.length = 0;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A client on the in-process door: requests by id, and every push it gets. */
function client() {
  const got: ServerEnvelope[] = [];
  const local = core.openLocalConnection((m) => got.push(m));
  let seq = 0;
  return {
    got,
    async request<P>(type: string, payload?: unknown): Promise<P> {
      const id = `r${++seq}`;
      await local.receive({ type, id, payload });
      await until(() => got.some((m) => m.id === id), `a reply to ${type}`);
      const reply = got.find((m) => m.id === id)!;
      if (reply.type === 'error') throw new Error(JSON.stringify(reply.payload));
      return reply.payload as P;
    },
  };
}

/** Retrieves (status polls) the upstream has answered. */
const polls = (up: TestUpstream) => up.log.filter((l) => /^GET \/v1\/videos\/[^/]+$/.test(l)).length;

describe('state held in memory (createCore)', () => {
  it(`reads the keychain once per provider and settings.json never while 1,000 polls run (${realKeychain ? 'real Secret Service' : 'memory store: no session bus'})`, async () => {
    const ups = [await startTestUpstream('openai'), await startTestUpstream('openai')];
    const c = client();
    await c.request('updateSettings', { pollIntervalMs: 250 });
    const providers: ProviderView[] = [];
    for (const [i, up] of ups.entries()) {
      providers.push((await c.request<{ provider: ProviderView }>('saveProvider', {
        name: `Relay ${i}`, dialect: 'openai', baseUrl: up.url, apiKey: `test-key-${i}-0123456789abcdef`,
      })).provider);
    }
    // From here on: tasks tracked and polled, nothing saved.
    keyReads.length = 0;
    backendReads = 0;
    fileReads = 0;
    await Promise.all(ups.flatMap((up, i) => Array.from({ length: 100 }, (_, j) => {
      const job = up.addJob({ prompt: `job ${j}`, status: 'in_progress', progress: 10 });
      return c.request('trackTask', { providerId: providers[i].id, externalId: job.id });
    })));
    await until(() => polls(ups[0]) + polls(ups[1]) >= 1000, '1,000 polls', 60_000);

    expect(polls(ups[0])).toBeGreaterThan(100);
    expect(polls(ups[1])).toBeGreaterThan(100);
    expect(keyReads.sort()).toEqual(providers.map((p) => providerAccount(p.id)).sort());
    expect({ backendReads, fileReads }).toEqual({ backendReads: 0, fileReads: 0 });
  });

  it('a hand edit of settings.json while running reaches every client, and a hand-edited provider has its key read again', async () => {
    const up = await startTestUpstream('openai');
    const a = client();
    const b = client();
    const { provider } = await a.request<{ provider: ProviderView }>('saveProvider', {
      name: 'Relay', dialect: 'openai', baseUrl: up.url, apiKey: 'test-key-0123456789abcdef',
    });
    await a.request('testProvider', { id: provider.id });
    await a.request('testProvider', { id: provider.id });
    expect(keyReads).toHaveLength(1);

    const file = path.join(dataDir, 'settings.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { settings: Partial<Settings>; providers: { name: string }[] };
    doc.settings.pollIntervalMs = 7000;
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const pushed = (m: ServerEnvelope) => m.type === 'settings' && m.id === undefined && (m.payload as { settings: Settings }).settings.pollIntervalMs === 7000;
    await until(() => a.got.some(pushed) && b.got.some(pushed), 'both clients get the settings push');
    expect((await b.request<{ settings: Settings }>('getSettings')).settings.pollIntervalMs).toBe(7000);

    doc.providers[0].name = 'Relay (renamed by hand)';
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    await eventually(async () => {
      const { providers } = await a.request<{ providers: ProviderView[] }>('listProviders');
      return providers.some((p) => p.name === 'Relay (renamed by hand)');
    }, 'the provider edited by hand is listed');
    expect(keyReads).toHaveLength(1);
    await a.request('testProvider', { id: provider.id });
    expect(keyReads).toHaveLength(2);
  });
});

/** Waits (real time) until an asynchronous check holds. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const giveUpAt = Date.now() + 8000;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
