// Electron main entry: builds the real dependencies and hands them to the shell.
import { createCore } from '../core/core';
import { createLogger } from '../core/log';
import { createSecretStore } from '../core/secrets/create-secret-store';
import { bundlePaths } from './bundle-paths';
import type { AutoUpdaterLike } from './updater';
import { createDesktopSettings } from './settings-store';
import { runShell } from './shell';

runShell({
  createCore,
  createSecrets: () => createSecretStore('keychain'),
  createSettings: (userData) => createDesktopSettings(userData, createLogger({ fields: { part: 'settings' } })),
  loadAutoUpdater: async () => {
    // electron-updater is CommonJS: its named export comes through the default import under ESM.
    const mod = await import('electron-updater');
    return (mod.default?.autoUpdater ?? mod.autoUpdater) as unknown as AutoUpdaterLike;
  },
  logger: createLogger({ level: process.env.SORADESK_LOG_LEVEL === 'debug' ? 'debug' : 'info' }),
  paths: bundlePaths(import.meta.url),
});
