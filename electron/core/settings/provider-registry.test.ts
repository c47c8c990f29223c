import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/contract/errors';
import { createLogger } from '../log';
import { providerAccount } from '../secrets/create-secret-store';
import { KeychainSecretStore } from '../secrets/keychain-secret-store';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { createConfBackend } from './conf-backend';
import { PROVIDERS_KEY, ProviderRegistry } from './provider-registry';
import { SettingsService } from './settings-service';

const KEY = 'test-key-0123456789abcdef';
const DEMO_URL = 'http://127.0.0.1:45999';
const hasBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const here = path.dirname(fileURLToPath(import.meta.url));

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function open(dir: string, secrets: SecretStore, lines: string[] = []) {
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
  const backend = createConfBackend({ cwd: dir, logger });
  const settings = new SettingsService(backend, logger);
  const registry = new ProviderRegistry({ backend, secrets, settings, logger });
  registry.setDemoBaseUrl(DEMO_URL);
  return { settings, registry, backend };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try { await p; } catch (err) { if (err instanceof AppError) return err; throw err; }
  throw new Error('expected an AppError');
}

function allFileText(dir: string): string {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

const stores: [string, boolean, () => SecretStore][] = [
  ['memory', true, () => new MemorySecretStore()],
  ['keychain (real Secret Service; skipped without DBUS_SESSION_BUS_ADDRESS)', hasBus, () => new KeychainSecretStore(`SoraDeskTest-${randomBytes(4).toString('hex')}`)],
];

describe.each(stores)('ProviderRegistry with the %s secret store', (_name, available, makeStore) => {
  let secrets: SecretStore;
  const accounts: string[] = [];
  function setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-providers-'));
    dirs.push(dir);
    secrets = makeStore();
    return { dir, ...open(dir, secrets) };
  }
  function track(id: string) { accounts.push(providerAccount(id)); return id; }
  afterEach(async () => { for (const a of accounts.splice(0)) await secrets.delete(a); });
  const payload = { name: 'My Proxy', dialect: 'openai' as const, baseUrl: 'http://127.0.0.1:8080/' };

  /** The demo profiles: free and local, no cap on jobs in flight, no budget of their own. */
  const NO_CAP = { maxActiveJobs: null, budget: { dailyLimit: null, monthlyLimit: null } };

  it.skipIf(!available)('lists the built-in demo providers, one per dialect, out of the box', () => {
    const { registry } = setup();
    expect(registry.list().map(({ models: _m, ...p }) => p)).toEqual([
      { id: 'demo', name: 'Demo (offline simulator)', dialect: 'openai', baseUrl: DEMO_URL, hasApiKey: false, apiKeyHint: null, rateLimitPerMinute: null, builtIn: true, ...NO_CAP },
      { id: 'demo-gemini', name: 'Demo: Gemini API (Veo)', dialect: 'gemini', baseUrl: `${DEMO_URL}/gemini`, hasApiKey: false, apiKeyHint: null, rateLimitPerMinute: null, builtIn: true, ...NO_CAP },
      { id: 'demo-fal', name: 'Demo: fal', dialect: 'fal', baseUrl: `${DEMO_URL}/fal`, hasApiKey: false, apiKeyHint: null, rateLimitPerMinute: null, builtIn: true, ...NO_CAP },
      { id: 'demo-replicate', name: 'Demo: Replicate', dialect: 'replicate', baseUrl: `${DEMO_URL}/replicate`, hasApiKey: false, apiKeyHint: null, rateLimitPerMinute: null, builtIn: true, ...NO_CAP },
    ]);
    // Each offers its dialect's models, at no cost.
    expect(registry.list().map((p) => p.models[0]?.id)).toEqual(['demo-video', 'veo-3.1-fast-generate-001', 'fal-ai/veo3.1', 'kwaivgi/kling-v2.5-turbo-pro']);
    expect(registry.list().flatMap((p) => p.models).every((m) => m.pricePerSecond === 0)).toBe(true);
  });

  it.skipIf(!available)('keeps a profile\'s maxActiveJobs (null: no cap) and budget as saved, and as they were when a save leaves them out', async () => {
    const { registry } = setup();
    const view = await registry.save({ ...payload, maxActiveJobs: null, budget: { dailyLimit: 5, monthlyLimit: 50 } });
    track(view.id);
    expect(view).toMatchObject({ maxActiveJobs: null, budget: { dailyLimit: 5, monthlyLimit: 50 } });
    const renamed = await registry.save({ ...payload, id: view.id, name: 'Renamed' });
    expect(renamed).toMatchObject({ name: 'Renamed', maxActiveJobs: null, budget: { dailyLimit: 5, monthlyLimit: 50 } });
    expect(await registry.save({ ...payload, id: view.id, maxActiveJobs: 3 })).toMatchObject({ maxActiveJobs: 3, budget: { dailyLimit: 5 } });
  });

  it.skipIf(!available)('saves a profile with its key in the store, and hands the key out only in a connection', async () => {
    const { registry } = setup();
    const view = await registry.save({ ...payload, apiKey: KEY, rateLimitPerMinute: 30 });
    track(view.id);
    expect(view.id).toMatch(/^my-proxy-[0-9a-f]{6}$/);
    expect(view).toEqual({
      id: view.id, name: 'My Proxy', dialect: 'openai', baseUrl: 'http://127.0.0.1:8080',
      hasApiKey: true, apiKeyHint: 'cdef', rateLimitPerMinute: 30, builtIn: false, models: [],
      // A provider of one's own sends 2 jobs at once unless told otherwise; no budget of its own.
      maxActiveJobs: 2, budget: { dailyLimit: null, monthlyLimit: null },
    });
    expect(registry.get(view.id)).toEqual(view);
    expect(JSON.stringify(registry.list())).not.toContain(KEY);
    expect(await secrets.get(providerAccount(view.id))).toBe(KEY);
    expect(await registry.connection(view.id)).toEqual({ dialect: 'openai', baseUrl: 'http://127.0.0.1:8080', apiKey: KEY });
    // The demo is named by an origin that outlives this launch's port, and stands for it.
    expect(await registry.connection('demo')).toEqual({
      dialect: 'openai', baseUrl: 'http://demo.soradesk.invalid', apiKey: null,
      originAliases: { 'http://demo.soradesk.invalid': DEMO_URL, 'http://media.demo.soradesk.invalid': DEMO_URL },
    });
    expect((await rejection(registry.connection('nope'))).code).toBe('NOT_FOUND');
  });

  it.skipIf(!available)('gives a profile pointed at the demo simulator the demo\'s names, and no other profile', async () => {
    const { registry } = setup();
    const atDemo = await registry.save({ name: 'Against the demo', dialect: 'fal', baseUrl: `${DEMO_URL}/fal` });
    const elsewhere = await registry.save({ name: 'Elsewhere', dialect: 'fal', baseUrl: 'http://127.0.0.1:45998/fal' });
    expect((await registry.connection(atDemo.id)).originAliases).toEqual({ 'http://demo.soradesk.invalid': DEMO_URL, 'http://media.demo.soradesk.invalid': DEMO_URL });
    expect((await registry.connection(elsewhere.id)).originAliases).toBeUndefined();
  });

  it.skipIf(!available)('keeps an omitted key, replaces a new one and removes a null one', async () => {
    const { registry } = setup();
    const id = track((await registry.save({ ...payload, apiKey: KEY })).id);
    expect(await registry.save({ ...payload, id, name: 'Renamed' })).toMatchObject({ name: 'Renamed', hasApiKey: true, apiKeyHint: 'cdef' });
    expect((await registry.connection(id)).apiKey).toBe(KEY);
    expect(await registry.save({ ...payload, id, apiKey: 'test-key-9999999999999999' })).toMatchObject({ apiKeyHint: '9999' });
    expect((await registry.connection(id)).apiKey).toBe('test-key-9999999999999999');
    expect(await registry.save({ ...payload, id, apiKey: null })).toMatchObject({ hasApiKey: false, apiKeyHint: null });
    expect((await registry.connection(id)).apiKey).toBeNull();
    expect(await secrets.get(providerAccount(id))).toBeNull();
  });

  it.skipIf(!available)('shows the last 4 characters only of a key of 16 or more', async () => {
    const { registry } = setup();
    const key15 = 'k'.repeat(11) + 'WXYZ';
    const key16 = 'k'.repeat(12) + 'WXYZ';
    expect([key15.length, key16.length]).toEqual([15, 16]);
    const short = await registry.save({ ...payload, apiKey: key15 });
    track(short.id);
    expect(short).toMatchObject({ hasApiKey: true, apiKeyHint: null });
    const exact = await registry.save({ ...payload, apiKey: key16 });
    track(exact.id);
    expect(exact).toMatchObject({ hasApiKey: true, apiKeyHint: 'WXYZ' });
    // Listing reads no keychain: the hints come from the stored profiles.
    expect(registry.list().filter((p) => !p.builtIn).map((p) => p.apiKeyHint)).toEqual([null, 'WXYZ']);
  });

  it.skipIf(!available)('makes the first saved provider the default, not the second', async () => {
    const { registry, settings } = setup();
    const first = track((await registry.save({ ...payload, apiKey: KEY })).id);
    expect(settings.get()).toMatchObject({ defaultProviderId: first, defaultProviderChosen: false });
    track((await registry.save({ ...payload, name: 'Second' })).id);
    expect(settings.get().defaultProviderId).toBe(first);
  });

  it.skipIf(!available)('keeps a default chosen by hand when a provider is saved', async () => {
    const { registry, settings } = setup();
    settings.update({ defaultProviderId: 'demo' });
    track((await registry.save(payload)).id);
    expect(settings.get()).toMatchObject({ defaultProviderId: 'demo', defaultProviderChosen: true });
  });

  it.skipIf(!available)('deletes profile and key; the default goes back to demo', async () => {
    const { registry, settings, backend } = setup();
    const id = track((await registry.save({ ...payload, apiKey: KEY })).id);
    settings.update({ defaultProviderId: id });
    await registry.delete(id);
    expect(registry.get(id)).toBeUndefined();
    expect(registry.list().filter((p) => !p.builtIn)).toEqual([]);
    expect(await secrets.get(providerAccount(id))).toBeNull();
    expect(settings.get()).toMatchObject({ defaultProviderId: 'demo', defaultProviderChosen: false });
    // Written back, not just masked on read: the file names no deleted provider.
    expect(backend.get<{ defaultProviderId: string }>('settings')?.defaultProviderId).toBe('demo');
    expect((await rejection(registry.delete(id))).code).toBe('NOT_FOUND');
  });

  it.skipIf(!available)('refuses to delete or re-point the demo provider', async () => {
    const { registry } = setup();
    expect((await rejection(registry.delete('demo'))).code).toBe('CONFLICT');
    expect((await rejection(registry.save({ ...payload, id: 'demo' }))).code).toBe('CONFLICT');
    expect(registry.get('demo')?.baseUrl).toBe(DEMO_URL);
  });

  it.skipIf(!available)('rejects a bad payload with BAD_REQUEST and stores nothing', async () => {
    const { registry } = setup();
    const err = await rejection(registry.save({ ...payload, baseUrl: 'ftp://127.0.0.1/', apiKey: KEY }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/baseUrl/);
    expect(err.message).not.toContain(KEY);
    expect(registry.list().filter((p) => !p.builtIn)).toEqual([]);
  });

  it.skipIf(!available)('keeps profiles across re-creation and the key in no file and no log line', async () => {
    const { dir, registry, settings } = setup();
    const lines: string[] = [];
    const id = track((await registry.save({ ...payload, apiKey: KEY })).id);
    await registry.save({ ...payload, id, name: 'Renamed' });
    settings.update({ pollIntervalMs: 1000 });

    const again = open(dir, secrets, lines);
    expect(again.registry.get(id)).toMatchObject({ name: 'Renamed', hasApiKey: true, apiKeyHint: 'cdef' });
    expect((await again.registry.connection(id)).apiKey).toBe(KEY);
    await again.registry.save({ ...payload, id, name: 'Renamed', apiKey: `${KEY}-next` });
    const files = allFileText(dir);
    expect(files).toContain('Renamed');
    expect(files).not.toContain(KEY);
    await again.registry.delete(id);
    expect(allFileText(dir)).not.toContain(id);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(KEY);
  });

  it.skipIf(!available)('reads a key from the store once per provider and holds it; a save, a delete or forgetKeys reads it again', async () => {
    const { dir } = setup();
    const reads: string[] = [];
    const counted: SecretStore = { kind: secrets.kind, get: (a) => (reads.push(a), secrets.get(a)), set: (a, k) => secrets.set(a, k), delete: (a) => secrets.delete(a) };
    const { registry } = open(dir, counted);
    const a = track((await registry.save({ ...payload, apiKey: KEY })).id);
    const b = track((await registry.save({ ...payload, name: 'Other', apiKey: `${KEY}-b` })).id);
    for (let i = 0; i < 100; i++) {
      expect((await registry.connection(a)).apiKey).toBe(KEY);
      expect((await registry.connection(b)).apiKey).toBe(`${KEY}-b`);
    }
    expect(reads.sort()).toEqual([providerAccount(a), providerAccount(b)].sort());

    // A lock: every key is read again, and calls that start together share one read.
    registry.forgetKeys();
    reads.length = 0;
    await Promise.all(Array.from({ length: 20 }, () => registry.connection(a)));
    expect(reads).toEqual([providerAccount(a)]);

    // A save (a new key, or none given) and a delete drop the held key.
    await registry.save({ ...payload, id: a, apiKey: `${KEY}-2` });
    expect((await registry.connection(a)).apiKey).toBe(`${KEY}-2`);
    await registry.save({ ...payload, id: a, name: 'Renamed' });
    expect((await registry.connection(a)).apiKey).toBe(`${KEY}-2`);
    expect(reads).toEqual([providerAccount(a), providerAccount(a), providerAccount(a)]);
    await registry.delete(b);
    expect((await rejection(registry.connection(b))).code).toBe('NOT_FOUND');
  });

  it.skipIf(!available)('keeps a profile it cannot read in the file instead of dropping it', async () => {
    const { registry, backend } = setup();
    backend.set(PROVIDERS_KEY, [{ id: 'broken', dialect: 'telepathy' }]);
    const id = track((await registry.save(payload)).id);
    expect(registry.list().filter((p) => !p.builtIn).map((p) => p.id)).toEqual([id]);
    expect(backend.get<unknown[]>(PROVIDERS_KEY)).toContainEqual({ id: 'broken', dialect: 'telepathy' });
  });
});

describe('ProviderRegistry when the keychain locks while keys are held', () => {
  it('drops every held key at the first KEYCHAIN_UNAVAILABLE answer, and reads again once it is back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-providers-'));
    dirs.push(dir);
    // A locked keychain cannot be made here on demand (the real one is tested for this answer in a child
    // process above and in keychain-secret-store.test.ts): memory answering as the keychain does stands in.
    const memory = new MemorySecretStore();
    let locked = false;
    const reads: string[] = [];
    const unavailable = () => new AppError('KEYCHAIN_UNAVAILABLE', 'the keychain is locked');
    const keychain: SecretStore = {
      kind: 'keychain',
      get: async (a) => { reads.push(a); if (locked) throw unavailable(); return memory.get(a); },
      set: async (a, k) => { if (locked) throw unavailable(); return memory.set(a, k); },
      delete: async (a) => { if (locked) throw unavailable(); return memory.delete(a); },
    };
    const { registry } = open(dir, keychain);
    const a = (await registry.save({ name: 'A', dialect: 'openai', baseUrl: 'http://127.0.0.1:8080', apiKey: KEY })).id;
    const b = (await registry.save({ name: 'B', dialect: 'openai', baseUrl: 'http://127.0.0.1:8081', apiKey: `${KEY}-b` })).id;
    await registry.connection(a);
    await registry.connection(b);
    expect(reads).toHaveLength(2);

    locked = true;
    // Saving a third key hits the locked keychain: from then on no held key is handed out.
    expect((await rejection(registry.save({ name: 'C', dialect: 'openai', baseUrl: 'http://127.0.0.1:8082', apiKey: KEY }))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await rejection(registry.connection(a))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await rejection(registry.connection(b))).code).toBe('KEYCHAIN_UNAVAILABLE');

    locked = false;
    expect((await registry.connection(a)).apiKey).toBe(KEY);
    expect((await registry.connection(a)).apiKey).toBe(KEY);
    expect(reads).toEqual([providerAccount(a), providerAccount(b), providerAccount(a), providerAccount(b), providerAccount(a)]);
  });
});

describe.skipIf(process.platform !== 'linux')('ProviderRegistry when the keychain is unavailable', () => {
  it('fails a save with a key as KEYCHAIN_UNAVAILABLE and changes nothing; keyless work goes on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-providers-'));
    dirs.push(dir);
    // The keyring library caches its D-Bus connection per process: a child gets the broken bus.
    const script = `
      import { createConfBackend } from ${JSON.stringify(path.join(here, 'conf-backend.ts'))};
      import { SettingsService } from ${JSON.stringify(path.join(here, 'settings-service.ts'))};
      import { ProviderRegistry } from ${JSON.stringify(path.join(here, 'provider-registry.ts'))};
      import { KeychainSecretStore } from ${JSON.stringify(path.join(here, '../secrets/keychain-secret-store.ts'))};
      const backend = createConfBackend({ cwd: ${JSON.stringify(dir)} });
      const settings = new SettingsService(backend);
      const registry = new ProviderRegistry({ backend, secrets: new KeychainSecretStore('SoraDeskTest'), settings });
      const base = { name: 'P', dialect: 'openai', baseUrl: 'http://127.0.0.1:9/' };
      let failure = null;
      try { await registry.save({ ...base, apiKey: ${JSON.stringify(KEY)} }); } catch (e) { failure = { code: e.code, message: e.message }; }
      const afterFailure = registry.list().filter((p) => !p.builtIn).length;
      const keyless = await registry.save(base);
      await registry.delete(keyless.id);
      console.log(JSON.stringify({ failure, afterFailure, finalCount: registry.list().filter((p) => !p.builtIn).length, defaultId: settings.get().defaultProviderId }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(here, '../../..'),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/soradesk-test-bus' },
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.failure.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(out.failure.message).toContain('--secret-store memory');
    expect(out.failure.message).not.toContain(KEY);
    expect(out.afterFailure).toBe(0);
    expect(out.finalCount).toBe(0);
    expect(out.defaultId).toBe('demo');
    expect(allFileText(dir)).not.toContain(KEY);
  });
});
