// SettingsBackend over `conf` for plain Node. The desktop shell builds an electron-store (a subclass of
// Conf) from the same SETTINGS_STORE_OPTIONS, so both write the same file in the same shape.
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { systemClock } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { SettingsBackend } from './settings-backend';

/**
 * Options shared by conf (reads `configName`) and electron-store (reads `name` and overwrites
 * `configName` with it, defaulting to "config"): hence both. No `schema`: values are validated with the
 * contract's zod schemas on read, so a hand-edited file never stops the app from starting.
 */
export const SETTINGS_STORE_OPTIONS = {
  configName: 'settings',
  name: 'settings',
  projectName: 'soradesk',
  fileExtension: 'json',
  // Provider ids and setting names are plain keys; dots in them must not become nesting.
  accessPropertiesByDotNotation: false,
  clearInvalidConfig: false,
  configFileMode: 0o600,
  watch: false,
} as const;

export const SETTINGS_FILE_NAME = `${SETTINGS_STORE_OPTIONS.configName}.${SETTINGS_STORE_OPTIONS.fileExtension}`;

/** The part of Conf (and so of electron-store) a backend needs. */
export interface ConfLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
}

export function settingsBackendOver(store: ConfLike): SettingsBackend {
  return {
    get: <T>(key: string) => store.get(key) as T | undefined,
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    get path() { return store.path; },
  };
}

/**
 * Conf refuses to start on a settings file that is not JSON. Rather than crash or silently start empty
 * over it, move it aside (nothing lost: the user can repair it) and start from defaults.
 * Returns the path it was moved to, or null when the file was fine or absent.
 */
export function setAsideUnreadableSettings(dir: string, logger: Logger = silentLogger, now: () => number = systemClock.now): string | null {
  const file = path.join(dir, SETTINGS_FILE_NAME);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return null;
  } catch {
    // falls through to setting it aside
  }
  const aside = `${file}.unreadable-${now()}`;
  fs.renameSync(file, aside);
  logger.warn('settings file was not a JSON object; moved aside, starting from defaults', { file, movedTo: aside });
  return aside;
}

export function createConfBackend(opts: { cwd: string; logger?: Logger }): SettingsBackend {
  fs.mkdirSync(opts.cwd, { recursive: true });
  setAsideUnreadableSettings(opts.cwd, opts.logger);
  return settingsBackendOver(new Conf<Record<string, unknown>>({ ...SETTINGS_STORE_OPTIONS, cwd: opts.cwd }));
}
