// Settings in the desktop app: an electron-store over the same options (file name, mode, no dot paths)
// as `conf` under `npm run serve`, in the user-data folder, so both modes read the same settings.json.
import { ipcMain } from 'electron';
import Store from 'electron-store';
import type { Logger } from '../core/log';
import { SETTINGS_STORE_OPTIONS, setAsideUnreadableSettings, settingsBackendOver } from '../core/settings/conf-backend';
import type { SettingsBackend } from '../core/settings/settings-backend';

/** The channel electron-store opens for renderers that use it; ours never do. */
export const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

export function createDesktopSettings(userDataDir: string, logger: Logger): SettingsBackend {
  // A settings file that is not JSON would stop electron-store; it is moved aside (kept) instead.
  setAsideUnreadableSettings(userDataDir, logger);
  // electron-store takes `name` (conf's `configName`/`projectName` are its own business).
  const { configName: _configName, projectName: _projectName, ...options } = SETTINGS_STORE_OPTIONS;
  const store = new Store<Record<string, unknown>>({ ...options, cwd: userDataDir });
  // electron-store answers any renderer on its own IPC channel (userData path, version) with no sender
  // check; the app keeps one validated channel only.
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
  return settingsBackendOver(store);
}
