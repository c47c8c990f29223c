// The one place that turns `--secret-store keychain|memory` into a SecretStore.
import { AppError } from '@shared/contract/errors';
import { KeychainSecretStore } from './keychain-secret-store';
import { MemorySecretStore } from './memory-secret-store';
import type { SecretStore } from './secret-store';

export type SecretStoreKind = SecretStore['kind'];
export const SECRET_STORE_KINDS: readonly SecretStoreKind[] = ['keychain', 'memory'];

export function createSecretStore(kind: SecretStoreKind | string = 'keychain'): SecretStore {
  if (kind === 'keychain') return new KeychainSecretStore();
  if (kind === 'memory') return new MemorySecretStore();
  throw new AppError('BAD_REQUEST', `Unknown secret store "${kind}": use one of ${SECRET_STORE_KINDS.join(', ')}.`);
}

/** The keychain account that holds a provider's API key. */
export function providerAccount(providerId: string): string {
  return `provider:${providerId}`;
}
