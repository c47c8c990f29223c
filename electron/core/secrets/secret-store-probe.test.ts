// The start-up keychain check against the real Secret Service (under dbus-run-session), memory, and a
// keychain that never answers.
import { describe, expect, it } from 'vitest';
import { KeychainSecretStore } from './keychain-secret-store';
import { MemorySecretStore } from './memory-secret-store';
import { probeSecretStore } from './secret-store-probe';
import type { SecretStore } from './secret-store';

describe('probeSecretStore', () => {
  it.skipIf(!process.env.DBUS_SESSION_BUS_ADDRESS)('finds a reachable keychain fine, and reads no key doing so', async () => {
    expect(await probeSecretStore(new KeychainSecretStore(`SoraDeskProbeTest-${process.pid}`))).toBeNull();
  });

  it('has nothing to check for keys held in memory', async () => {
    expect(await probeSecretStore(new MemorySecretStore())).toBeNull();
  });

  it('reports a keychain that does not answer in time as unavailable, with the fix', async () => {
    const silent: SecretStore = { ...new MemorySecretStore(), kind: 'keychain', get: async () => null, set: async () => {}, delete: async () => {}, probe: () => new Promise(() => {}) };
    const found = await probeSecretStore(silent, 50);
    expect(found?.cause).toBe('no answer within 0.05 s');
    expect(found?.notice).toMatchObject({ level: 'error', code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('--secret-store memory') });
  });
});
