// Keys held only for the life of the process: for `--secret-store memory` and nothing else.
import { registerSecret } from '../log';
import type { SecretStore } from './secret-store';

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<void> {
    this.secrets.delete(account);
  }
}
