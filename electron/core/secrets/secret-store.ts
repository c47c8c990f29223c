// Where API keys live. The OS keychain in the app; memory only when chosen explicitly.
export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  /** Throws AppError KEYCHAIN_UNAVAILABLE (with advice) when the keychain cannot be reached. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
  /** Whether the store can be reached at all, reading no key (the start-up check); throws like get(). */
  probe?(): Promise<void>;
}
