// Electron main entry: builds the real dependencies and hands them to the shell.
import { createCore } from '../core/core';
import { createSecretStore } from '../core/secrets/create-secret-store';
import { bundlePaths } from './bundle-paths';
import { startDesktopLogging } from './desktop-logging';
import type { AutoUpdaterLike } from './updater';
import { createDesktopSettings } from './settings-store';
import { runShell } from './shell';

// First: from here on, everything that goes wrong ends up in <userData>/logs.
const logging = startDesktopLogging(process.env.SORADESK_LOG_LEVEL === 'debug' ? 'debug' : 'info');

runShell({
  createCore,
  createSecrets: () => createSecretStore('keychain'),
  createSettings: (userData) => createDesktopSettings(userData, logging.logger.child({ part: 'settings' })),
  loadAutoUpdater: async () => {
    // electron-updater is CommonJS: its named export comes through the default import under ESM.
    const mod = await import('electron-updater');
    return (mod.default?.autoUpdater ?? mod.autoUpdater) as unknown as AutoUpdaterLike;
  },
  logger: logging.logger,
  logDir: logging.logDir,
  crashDumpsDir: logging.crashDumpsDir,
  paths: bundlePaths(import.meta.url),
});
