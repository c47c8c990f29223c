// Attack-review finding 2: a stored key must not follow a base URL to another origin. Replayed over
// the real WebSocket door against two real upstreams on 127.0.0.1: the provider's own, and the one a
// client (or a page that got hold of the door) points the profile at afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderView } from '@shared/contract/provider';
import { createCore } from '../core';
import type { Core } from '../core-types';
import { silentLogger } from '../log';
import { startRecordingUpstream, sendJson, type RecordingUpstream } from '../providers/test-support/recording-upstream';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { ApiClient } from '../test-support/api-client';
import { AppError } from '@shared/contract/errors';
import { providerAccount } from '../secrets/create-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { createConfBackend } from './conf-backend';
import { PROVIDERS_KEY, ProviderRegistry } from './provider-registry';
import type { SettingsBackend } from './settings-backend';
import { SettingsService } from './settings-service';

const KEY = 'sk-test-origin-0123456789abcdefABCDEF';
const listAnswer = (_r: unknown, res: Parameters<Parameters<RecordingUpstream['handle']>[0]>[1]) =>
  sendJson(res, 200, { object: 'list', data: [], has_more: false });

let dataDir: string;
let core: Core;
let c: ApiClient;
let own: RecordingUpstream;
let other: RecordingUpstream;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-key-origin-'));
  own = await startRecordingUpstream(listAnswer);
  other = await startRecordingUpstream(listAnswer);
  core = createCore({
    dataDir, settings: createConfBackend({ cwd: dataDir }), secrets: new MemorySecretStore(),
    logger: silentLogger, locale: 'en-US',
  });
  const info = await core.start();
  c = await ApiClient.connect(info.wsUrl, info.token);
});

afterEach(async () => {
  await c.close();
  await core.stop();
  await own.close();
  await other.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function save(payload: Record<string, unknown>): Promise<ProviderView> {
  const reply = await c.request('saveProvider', payload);
  expect(reply.type, JSON.stringify(reply.payload)).toBe('providerSaved');
  return (reply.payload as { provider: ProviderView }).provider;
}

const authHeaders = (up: RecordingUpstream) => up.requests.map((r) => r.headers.authorization ?? null);

describe('a stored key and a base URL change', () => {
  it('moving a provider to another origin drops its key: testProvider sends none there', async () => {
    const p = await save({ name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    await c.request('testProvider', { id: p.id });
    expect(authHeaders(own)).toEqual([`Bearer ${KEY}`]);

    const moved = await save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: other.url });
    await c.request('testProvider', { id: p.id });
    expect(other.requests).toHaveLength(1);
    expect(authHeaders(other)).toEqual([null]);
    expect(moved).toMatchObject({ baseUrl: other.url, hasApiKey: false, apiKeyHint: null });

    // Moving back does not bring the key back either: it was dropped from the keychain.
    const back = await save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: own.url });
    expect(back.hasApiKey).toBe(false);
    await c.request('testProvider', { id: p.id });
    expect(authHeaders(own)).toEqual([`Bearer ${KEY}`, null]);
  });

  it('a key sent again in the same save goes to the new origin', async () => {
    const p = await save({ name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    const moved = await save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: other.url, apiKey: `${KEY}-new` });
    expect(moved).toMatchObject({ hasApiKey: true });
    await c.request('testProvider', { id: p.id });
    expect(authHeaders(other)).toEqual([`Bearer ${KEY}-new`]);
  });

  it('the same origin keeps the key: a new path, a trailing slash, a rename, another dialect', async () => {
    const p = await save({ name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    for (const change of [
      { name: 'Relay', baseUrl: `${own.url}/` },
      { name: 'Relay renamed', baseUrl: `${own.url}/prefix` },
      { name: 'Relay renamed', baseUrl: own.url.replace('http://', 'HTTP://') },
    ]) {
      const kept = await save({ id: p.id, dialect: 'openai', ...change });
      expect(kept, JSON.stringify(change)).toMatchObject({ hasApiKey: true });
    }
    await c.request('testProvider', { id: p.id });
    expect(authHeaders(own).at(-1)).toBe(`Bearer ${KEY}`);
  });

  it('another scheme or port is another origin', async () => {
    const p = await save({ name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    const port = Number(new URL(own.url).port);
    const otherPort = await save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: `http://127.0.0.1:${port + 1}` });
    expect(otherPort.hasApiKey).toBe(false);
    await save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    const https = await save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: own.url.replace('http:', 'https:') });
    expect(https.hasApiKey).toBe(false);
  });
});

describe('a save that fails half way leaves the keychain and settings.json agreeing', () => {
  function registryOver(secrets: SecretStore) {
    const backend = createConfBackend({ cwd: dataDir });
    let failWrites = false;
    const failing: SettingsBackend = {
      get: (k) => backend.get(k),
      set: (k, v) => {
        if (failWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        backend.set(k, v);
      },
      delete: (k) => backend.delete(k),
      get path() { return backend.path; },
    };
    const settings = new SettingsService(failing, silentLogger);
    const registry = new ProviderRegistry({ backend: failing, secrets, settings, logger: silentLogger });
    const profiles = () => JSON.stringify(backend.get(PROVIDERS_KEY) ?? []);
    return { registry, profiles, failSettingsWrites: (v: boolean) => { failWrites = v; } };
  }

  it('a settings write that fails leaves no orphan key for a new provider', async () => {
    const secrets = new MemorySecretStore();
    const { registry, profiles, failSettingsWrites } = registryOver(secrets);
    failSettingsWrites(true);
    await expect(registry.save({ id: 'fresh', name: 'Fresh', dialect: 'openai', baseUrl: own.url, apiKey: KEY })).rejects.toThrow(/ENOSPC/);
    expect(await secrets.get(providerAccount('fresh'))).toBeNull();
    expect(profiles()).toBe('[]');
  });

  it('a settings write that fails changes nothing in the keychain (a new key, a removal, a move to another origin)', async () => {
    const secrets = new MemorySecretStore();
    const { registry, profiles, failSettingsWrites } = registryOver(secrets);
    const p = await registry.save({ name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    const before = profiles();
    failSettingsWrites(true);
    for (const change of [{ apiKey: `${KEY}-new` }, { apiKey: null }, { baseUrl: other.url }]) {
      await expect(registry.save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: own.url, ...change }), JSON.stringify(change)).rejects.toThrow(/ENOSPC/);
      expect(await secrets.get(providerAccount(p.id))).toBe(KEY);
      expect(profiles()).toBe(before);
      expect((await registry.connection(p.id)).apiKey).toBe(KEY);
    }
  });

  it('a keychain write that fails leaves settings.json as it was', async () => {
    const memory = new MemorySecretStore();
    let keychainDown = false;
    const secrets: SecretStore = {
      kind: 'keychain',
      get: (a) => memory.get(a),
      set: (a, v) => (keychainDown ? Promise.reject(new AppError('KEYCHAIN_UNAVAILABLE', 'keychain locked')) : memory.set(a, v)),
      delete: (a) => (keychainDown ? Promise.reject(new AppError('KEYCHAIN_UNAVAILABLE', 'keychain locked')) : memory.delete(a)),
    };
    const { registry, profiles } = registryOver(secrets);
    const p = await registry.save({ name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: KEY });
    const before = profiles();
    keychainDown = true;
    await expect(registry.save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: own.url, apiKey: `${KEY}-new` })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(registry.save({ id: p.id, name: 'Relay', dialect: 'openai', baseUrl: other.url })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(registry.save({ name: 'Other', dialect: 'openai', baseUrl: own.url, apiKey: KEY })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(registry.delete(p.id)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(profiles()).toBe(before);
    expect(await memory.get(providerAccount(p.id))).toBe(KEY);
    keychainDown = false;
    await registry.delete(p.id);
    expect([profiles(), await memory.get(providerAccount(p.id))]).toEqual(['[]', null]);
  });
});
