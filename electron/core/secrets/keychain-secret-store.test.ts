import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/contract/errors';
import { createSecretStore, providerAccount } from './create-secret-store';
import { KeychainSecretStore } from './keychain-secret-store';
import { MemorySecretStore } from './memory-secret-store';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../../..');
const KEY = 'test-key-0123456789abcdef';
const hasBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
// A per-run service name: a developer's real "SoraDesk" entries are never touched.
const service = `SoraDeskTest-${randomBytes(4).toString('hex')}`;

describe.skipIf(!hasBus)('KeychainSecretStore on a real Secret Service (needs DBUS_SESSION_BUS_ADDRESS: run under dbus-run-session with gnome-keyring unlocked)', () => {
  const store = new KeychainSecretStore(service);
  const used: string[] = [];
  const account = (n: string) => { const a = providerAccount(`${n}-${used.length}`); used.push(a); return a; };
  afterEach(async () => { for (const a of used.splice(0)) await store.delete(a); });

  it('stores, reads back, replaces and deletes a key', async () => {
    const a = account('roundtrip');
    expect(await store.get(a)).toBeNull();
    await store.set(a, KEY);
    expect(await store.get(a)).toBe(KEY);
    // A second store object reads the same keychain entry: the key outlives the object.
    expect(await new KeychainSecretStore(service).get(a)).toBe(KEY);
    await store.set(a, `${KEY}-2`);
    expect(await store.get(a)).toBe(`${KEY}-2`);
    await store.delete(a);
    expect(await store.get(a)).toBeNull();
  });

  it('keeps accounts apart and treats deleting a missing key as done', async () => {
    const a = account('one');
    const b = account('two');
    await store.set(a, KEY);
    expect(await store.get(b)).toBeNull();
    await expect(store.delete(b)).resolves.toBeUndefined();
    expect(await store.get(a)).toBe(KEY);
  });
});

describe('KeychainSecretStore without a reachable keychain', () => {
  it.skipIf(process.platform !== 'linux')('fails every operation with KEYCHAIN_UNAVAILABLE, advice, and never the key', async () => {
    // The library caches its D-Bus connection per process, so the broken bus is given to a child.
    const script = `
      import { KeychainSecretStore } from ${JSON.stringify(path.join(here, 'keychain-secret-store.ts'))};
      const s = new KeychainSecretStore(${JSON.stringify(service)});
      const out = [];
      for (const op of [() => s.set('provider:x', ${JSON.stringify(KEY)}), () => s.get('provider:x'), () => s.delete('provider:x')]) {
        try { await op(); out.push({ ok: true }); } catch (e) { out.push({ name: e.name, code: e.code, message: e.message }); }
      }
      console.log(JSON.stringify(out));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: projectRoot,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/soradesk-test-bus' },
    });
    const results = JSON.parse(stdout.trim().split('\n').pop()!) as { name?: string; code?: string; message?: string }[];
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.name).toBe('AppError');
      expect(r.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(r.message).toMatch(/gnome-keyring or KWallet/);
      expect(r.message).toContain('npm run serve -- --secret-store memory');
      expect(r.message).not.toContain(KEY);
    }
  });
});

describe('createSecretStore', () => {
  it('gives the keychain by default and memory only when asked', () => {
    expect(createSecretStore().kind).toBe('keychain');
    expect(createSecretStore('keychain').kind).toBe('keychain');
    expect(createSecretStore('memory').kind).toBe('memory');
  });

  it('rejects an unknown kind with a clear BAD_REQUEST', () => {
    let caught: unknown;
    try { createSecretStore('plaintext'); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('BAD_REQUEST');
    expect((caught as AppError).message).toMatch(/keychain, memory/);
  });
});

describe('MemorySecretStore', () => {
  it('holds keys for this process only, per account', async () => {
    const store = new MemorySecretStore();
    await store.set(providerAccount('a'), KEY);
    expect(await store.get(providerAccount('a'))).toBe(KEY);
    expect(await store.get(providerAccount('b'))).toBeNull();
    expect(await new MemorySecretStore().get(providerAccount('a'))).toBeNull();
    await store.delete(providerAccount('a'));
    expect(await store.get(providerAccount('a'))).toBeNull();
  });
});
