// API keys in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { AppError } from '@shared/contract/errors';
import { registerSecret } from '../log';
import type { SecretStore } from './secret-store';

export const KEYCHAIN_SERVICE = 'SoraDesk';
/** The account the start-up check looks up; nothing is ever stored under it. */
export const KEYCHAIN_PROBE_ACCOUNT = 'soradesk:startup-probe';

// Without pinning, the library silently falls back to the Linux kernel keyring, which forgets every
// key at reboot: better to fail loudly and let the user fix the keychain or choose memory on purpose.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** What the user can do about it, per platform. */
export function keychainAdvice(platform: NodeJS.Platform = process.platform): string {
  const memory = 'or run `npm run serve -- --secret-store memory` to keep keys only in memory for this run';
  if (platform === 'darwin') return `Unlock the macOS Keychain (Keychain Access) and allow SoraDesk to use it, ${memory}.`;
  if (platform === 'win32') return `Check that Windows Credential Manager is available for your account, ${memory}.`;
  return 'Install and unlock a Secret Service keychain on the D-Bus session bus (gnome-keyring or KWallet; '
    + `a desktop session normally starts one), ${memory}.`;
}

export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    const secret = await this.call('read', account, undefined, (e) => e.getPassword());
    if (secret !== null) registerSecret(secret);
    return secret;
  }

  async set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    await this.call('store', account, secret, (e) => e.setPassword(secret));
  }

  /** Looks up an account that never holds a key: it reaches the keychain without prompting or reading a key. */
  async probe(): Promise<void> {
    await this.call('look up', KEYCHAIN_PROBE_ACCOUNT, undefined, (e) => e.getPassword());
  }

  async delete(account: string): Promise<void> {
    // false only means there was nothing to delete, which is what the caller wants.
    await this.call('delete', account, undefined, (e) => e.deleteCredential());
  }

  private async call<T>(what: string, account: string, secret: string | undefined, op: (e: AsyncEntry) => Promise<T>): Promise<T> {
    try {
      return await op(new AsyncEntry(this.service, account, ENTRY_OPTIONS));
    } catch (err) {
      let cause = err instanceof Error ? err.message : String(err);
      // The library's messages come from D-Bus and never quote the password; this is belt and braces.
      if (secret) cause = cause.split(secret).join('[redacted]');
      throw new AppError('KEYCHAIN_UNAVAILABLE', `Could not ${what} the API key for "${account}" in the system keychain (${cause}). ${keychainAdvice()}`);
    }
  }
}
