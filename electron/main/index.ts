// Electron main entry: builds the real dependencies and hands them to the shell.
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/core';
import { createLogger } from '../core/log';
import { createSecretStore } from '../core/secrets/create-secret-store';
import type { AutoUpdaterLike } from './updater';
import { createDesktopSettings } from './settings-store';
import { runShell } from './shell';

// Paths relative to this bundle (out/main/index.js), valid in development and inside app.asar.
const fromHere = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

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
  paths: {
    preload: fromHere('../preload/index.cjs'),
    rendererDir: fromHere('../renderer'),
    windowIcon: fromHere('../../resources/icons/icon.png'),
    trayIcon: fromHere('../../resources/icons/tray.png'),
  },
});
