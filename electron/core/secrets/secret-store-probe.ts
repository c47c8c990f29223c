// The keychain is checked at start, not first when a key is saved (SecretStore.probe: looking up an
// account that never exists touches the Secret Service, macOS Keychain or Windows Credential Manager
// without prompting), so we know whether keys can be kept at all. The answer goes to the log, the
// console and every UI client.
import type { ServerPayload } from '@shared/contract/messages';
import { keychainAdvice } from './keychain-secret-store';
import type { SecretStore } from './secret-store';

const PROBE_LIMIT_MS = 5000;

export type StartupNotice = ServerPayload<'notice'>;

/** Null when keys can be kept (or the store has nothing to check); else the `KEYCHAIN_UNAVAILABLE` notice and its cause. */
export async function probeSecretStore(secrets: SecretStore, limitMs = PROBE_LIMIT_MS): Promise<{ notice: StartupNotice; cause: string } | null> {
  if (!secrets.probe) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limitMs / 1000} s`)), limitMs);
  });
  try {
    await Promise.race([secrets.probe(), timeout]);
    return null;
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err);
    return {
      cause,
      notice: {
        level: 'error',
        code: 'KEYCHAIN_UNAVAILABLE',
        message: `The system keychain cannot be reached, so API keys can be neither saved nor used (the demo provider still works). ${keychainAdvice()}`,
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
