import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/log';
import { createConfBackend } from '../core/settings/conf-backend';
import { ELECTRON_STORE_CHANNEL, createDesktopSettings } from './settings-store';
import { fakeElectron, resetFakeElectron } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);
// The real electron-store needs the Electron binary (it imports 'electron' from node_modules, past the
// mock above). This stand-in does what electron-store 11 does in a main process: conf with `name` as the
// file name, and a sync IPC listener for renderers on its own channel.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  const { fakeElectron: electron } = await import('./test-support/fake-electron');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor({ name, ...options }: { name: string; cwd: string }) {
        electron.ipcMain.on('electron-store-get-data', (event: { returnValue?: unknown }) => { event.returnValue = { defaultCwd: options.cwd }; });
        super({ ...options, configName: name });
      }
    },
  };
});

let dir: string;
beforeEach(() => {
  resetFakeElectron();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-settings-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('desktop settings (electron-store)', () => {
  it('writes the same settings.json that `npm run serve` reads, owner-only', () => {
    const desktop = createDesktopSettings(dir, silentLogger);
    desktop.set('language', 'zh-CN');
    desktop.set('provider.with.dots', { baseUrl: 'http://127.0.0.1:9' });
    const served = createConfBackend({ cwd: dir });
    expect(served.path).toBe(desktop.path);
    expect(served.get('language')).toBe('zh-CN');
    expect(served.get('provider.with.dots')).toEqual({ baseUrl: 'http://127.0.0.1:9' });
    if (process.platform !== 'win32') expect(fs.statSync(desktop.path).mode & 0o777).toBe(0o600);
  });

  it('leaves no unvalidated IPC channel behind (electron-store opens one for renderers)', () => {
    createDesktopSettings(dir, silentLogger);
    expect(fakeElectron.ipcMain.listenerCount(ELECTRON_STORE_CHANNEL)).toBe(0);
  });
});
