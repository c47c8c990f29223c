// A key-value store for settings and provider profiles: `conf` under plain Node,
// electron-store (the same schema, the same file) in the desktop shell.
export interface SettingsBackend {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Absolute path of the file it writes (for tests that check no secret lands in it). */
  readonly path: string;
}
