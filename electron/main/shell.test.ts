import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import { createCore } from '../core/core';
import type { Core, CoreDeps } from '../core/core-types';
import { createLogger, silentLogger, type Logger } from '../core/log';
import { createSecretStore } from '../core/secrets/create-secret-store';
import type { SecretStore } from '../core/secrets/secret-store';
import { createConfBackend } from '../core/settings/conf-backend';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from '../preload/channels';
import { runShell } from './shell';
import { FakeMenu, FakeNotification, fakeElectron, resetFakeElectron, type FakeBrowserWindow, type FakeElectron } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

let dir: string;
const demoDir = path.resolve(import.meta.dirname, '../../resources/demo');
const electron: FakeElectron = fakeElectron;
const cores: Core[] = [];

beforeEach(() => {
  // A fresh launch per test: the shell registers app-wide listeners.
  resetFakeElectron();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-shell-'));
  electron.app.userData = path.join(dir, 'userData');
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function launch(over: { createCore?: (deps: CoreDeps) => Core; logger?: Logger; secrets?: SecretStore } = {}) {
  const made: CoreDeps[] = [];
  const handle = runShell({
    createCore: (deps) => {
      made.push(deps);
      const core = (over.createCore ?? createCore)(deps);
      cores.push(core);
      return core;
    },
    createSecrets: () => over.secrets ?? createSecretStore('memory'),
    createSettings: (userData) => createConfBackend({ cwd: userData }),
    loadAutoUpdater: async () => { throw new Error('not in tests'); },
    logger: over.logger ?? (process.env.SHELL_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger),
    paths: { preload: '/app/out/preload/index.cjs', rendererDir: path.join(dir, 'renderer'), demoDir },
  });
  return { handle, made };
}

async function started(over: Parameters<typeof launch>[0] = {}) {
  const { handle, made } = launch(over);
  electron.app.becomeReady();
  expect(await handle.started).toBe(true);
  const win = handle.window() as unknown as FakeBrowserWindow;
  const wc = win.webContents;
  const fromApp = (...args: unknown[]) => electron.ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, ...args);
  const received = () => wc.sent.filter((s) => s.channel === IPC_TO_RENDERER).map((s) => s.args[0] as ServerEnvelope);
  return { handle, made, win, wc, fromApp, received };
}

describe('desktop shell lifecycle', () => {
  it('quits at once when another instance holds the lock, without starting a core', async () => {
    electron.app.singleInstanceLock = false;
    const { handle, made } = launch();
    expect(await handle.started).toBe(false);
    expect(electron.app.quitCalls).toBe(1);
    expect(made).toEqual([]);
    expect(handle.window()).toBeNull();
  });

  it('starts the real core in userData with the app origin allowed, writes connection.json and opens app://', async () => {
    const { made, win } = await started();
    expect(made[0]).toMatchObject({ dataDir: electron.app.userData, extraOrigins: ['app://soradesk'], demoSampleDir: demoDir });
    expect(made[0].secrets.kind).toBe('memory');
    const info = JSON.parse(fs.readFileSync(path.join(electron.app.userData, 'connection.json'), 'utf8'));
    expect(info.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(win.webContents.loadedUrl).toBe('app://soradesk/index.html');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(electron.protocol.handlers.has('app')).toBe(true);
  });

  it('routes renderer envelopes through the core: replies, validation errors, and the updater state', async () => {
    const s = await started();
    s.fromApp('envelope', { type: 'getStats', id: 1 });
    s.fromApp('envelope', { type: 'getTask', id: 2, payload: {} });
    s.fromApp('envelope', { type: 'getUpdateState', id: 3 });
    s.fromApp('envelope', 'not-an-object');
    s.fromApp('ready');
    await vi.waitFor(() => expect(s.received().filter((m) => m.id !== undefined)).toHaveLength(3));
    const replies = s.received().filter((m) => m.id !== undefined);
    expect(replies.find((m) => m.id === 1)).toMatchObject({ type: 'stats', payload: { total: 0 } });
    expect(replies.find((m) => m.id === 2)).toMatchObject({ type: 'error', payload: { code: 'BAD_REQUEST' } });
    expect(replies.find((m) => m.id === 3)).toMatchObject({ type: 'updateState', payload: { state: 'unsupported' } });
  });

  it('when the OS screen locks, the provider keys held in memory are dropped: the next call asks the keychain again', async () => {
    const reads: string[] = [];
    const memory = createSecretStore('memory');
    const secrets: SecretStore = { kind: 'memory', get: (a) => (reads.push(a), memory.get(a)), set: (a, k) => memory.set(a, k), delete: (a) => memory.delete(a) };
    const s = await started({ secrets });
    s.fromApp('ready');
    const ask = async (id: number, type: string, payload: unknown) => {
      s.fromApp('envelope', { type, id, payload });
      await vi.waitFor(() => expect(s.received().some((m) => m.id === id)).toBe(true));
      return s.received().find((m) => m.id === id)!;
    };
    // Nothing listens on port 9 on loopback: the test call is refused at once, after the key was looked up.
    const saved = await ask(1, 'saveProvider', { name: 'Relay', dialect: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'test-key-0123456789abcdef' });
    const id = (saved.payload as { provider: { id: string } }).provider.id;
    await ask(2, 'testProvider', { id });
    await ask(3, 'testProvider', { id });
    expect(reads).toHaveLength(1);
    electron.powerMonitor.emit('lock-screen');
    await ask(4, 'testProvider', { id });
    expect(reads).toHaveLength(2);
  });

  it('sandboxes every renderer and registers app:// as a privileged scheme before the app is ready', () => {
    launch();
    expect(electron.app.sandboxed).toBe(true);
    expect(electron.protocol.privileged).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  });

  it('puts the library under userData when the system has no Videos folder, instead of failing to start', async () => {
    electron.app.unknownPaths.add('videos');
    const { made } = await started();
    expect(made[0].defaultLibraryDir).toBe(path.join(electron.app.userData, 'videos'));
  });

  it('a second launch reopens the window when it was closed (macOS keeps the app running)', async () => {
    const { handle, win } = await started();
    win.close();
    expect(handle.window()).toBeNull();
    electron.app.emit('second-instance');
    const reopened = handle.window() as unknown as FakeBrowserWindow;
    expect(reopened).not.toBeNull();
    expect(reopened).not.toBe(win);
    expect(reopened.webContents.loadedUrl).toBe('app://soradesk/index.html');
  });

  it('a packaged app whose updater cannot load still starts, logs why, and reports "unsupported"', async () => {
    electron.app.isPackaged = true;
    const lines: string[] = [];
    const { handle } = launch({ logger: createLogger({ write: (line: string) => lines.push(line) }) });
    electron.app.becomeReady();
    expect(await handle.started).toBe(true);
    expect(lines.some((l) => l.includes('electron-updater did not load'))).toBe(true);
    const wc = (handle.window() as unknown as FakeBrowserWindow).webContents;
    electron.ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, 'ready');
    electron.ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, 'envelope', { type: 'getUpdateState', id: 'u' });
    await vi.waitFor(() => expect(wc.sent.map((s) => s.args[0])).toContainEqual(expect.objectContaining({ id: 'u', payload: { state: 'unsupported' } })));
  });

  it('a finished job raises a notification; its click brings the window back on that task; show in folder reveals its file', async () => {
    const { handle } = launch({ createCore: (deps) => createCore({ ...deps, demoJobDurationMs: 500 }) });
    electron.app.becomeReady();
    expect(await handle.started).toBe(true);
    const win = handle.window() as unknown as FakeBrowserWindow;
    const wc = win.webContents;
    const fromApp = (...args: unknown[]) => electron.ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, ...args);
    const received = () => wc.sent.map((s) => s.args[0] as ServerEnvelope);
    fromApp('ready');
    fromApp('envelope', { type: 'createTask', id: 'c1', payload: { prompt: 'a lighthouse at dawn' } });
    await vi.waitFor(() => expect(received().find((m) => m.id === 'c1')?.type).toBe('taskCreated'));
    const videoId = (received().find((m) => m.id === 'c1')!.payload as { task: { videoId: string } }).task.videoId;

    // The UI watching the task asks for fresh status, as the task view does.
    const asking = setInterval(() => fromApp('envelope', { type: 'requestTaskStatus', payload: { videoId } }), 250);
    try {
      await vi.waitFor(() => expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Video ready']), { timeout: 20_000, interval: 100 });
    } finally {
      clearInterval(asking);
    }
    win.minimized = true;
    FakeNotification.shown[0].click();
    expect(win.restored).toBe(1);
    expect(received().filter((m) => m.type === 'focusTask')).toEqual([expect.objectContaining({ payload: { videoId } })]);

    // Once the library has kept the video, "show in folder" reveals that file (main resolves the path).
    const kept = () => received().map((m) => m.payload as { videoId?: string; localPath?: string | null })
      .find((p) => p.videoId === videoId && p.localPath)?.localPath;
    await vi.waitFor(() => expect(kept()).toBeTruthy(), { timeout: 20_000, interval: 100 });
    fromApp('showItemInFolder', videoId);
    fromApp('showItemInFolder', 'no-such-video');
    await vi.waitFor(() => expect(electron.shell.shownInFolder).toEqual([kept()]));
    // "Open" hands the same file (resolved by main, not named by the page) to the system's player.
    fromApp('openVideo', videoId);
    fromApp('openVideo', 'no-such-video');
    await vi.waitFor(() => expect(electron.shell.openedPaths).toEqual([kept()]));
    expect(fs.existsSync(kept()!)).toBe(true);
  }, 30_000);

  it('Help > Open Logs Folder opens the log folder; Export Diagnostics writes a bundle and shows it in its folder', async () => {
    const { made, wc } = await started();
    const menu = FakeMenu.applicationMenu!;
    expect(menu.items.map((i) => i.role)).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
    expect(made[0].diagnostics).toMatchObject({ mode: 'desktop', appVersion: '0.1.0-test', logDir: path.join(electron.app.userData, 'logs') });
    menu.find('Open Logs Folder')!.click!();
    expect(electron.shell.openedPaths).toEqual([path.join(electron.app.userData, 'logs')]);

    menu.find('Export Diagnostics…')!.click!();
    await vi.waitFor(() => expect(electron.shell.shownInFolder).toHaveLength(1));
    const bundle = electron.shell.shownInFolder[0];
    expect(path.dirname(bundle)).toBe(path.join(electron.app.userData, 'diagnostics'));
    expect(fs.readFileSync(bundle).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    // The renderer is not involved, and nothing was sent to it.
    expect(wc.sent.filter((m) => JSON.stringify(m).includes('diagnosticsExported'))).toEqual([]);
  });

  it('a renderer\'s uncaught error (a console error) is written to the log', async () => {
    const lines: string[] = [];
    const { handle } = launch({ logger: createLogger({ write: (l) => lines.push(l) }) });
    electron.app.becomeReady();
    await handle.started;
    const wc = (handle.window() as unknown as FakeBrowserWindow).webContents;
    wc.emit('console-message', { level: 'error', message: 'Uncaught TypeError: x is undefined', sourceId: 'app://soradesk/assets/index.js', lineNumber: 12 });
    wc.emit('console-message', { level: 'info', message: 'just chatter', sourceId: 'app://soradesk/assets/index.js', lineNumber: 1 });
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'renderer error');
    expect(logged).toEqual([expect.objectContaining({ level: 'error', message: 'Uncaught TypeError: x is undefined', line: 12 })]);
  });

  it('a link opens in the browser only for a provider the user set up or the project\'s pages', async () => {
    const { wc, fromApp, received } = await started();
    fromApp('ready');
    fromApp('envelope', { type: 'saveProvider', id: 's1', payload: { name: 'Relay', dialect: 'openai', baseUrl: 'https://relay.example.test/api' } });
    await vi.waitFor(() => expect(received().some((m) => m.id === 's1')).toBe(true));
    wc.navigate('https://relay.example.test/account/keys');
    wc.navigate('https://elsewhere.example.test/');
    wc.windowOpenHandler!({ url: 'https://github.com/soradesk/soradesk/issues/new' });
    await vi.waitFor(() => expect(electron.shell.opened).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(electron.shell.opened.sort()).toEqual(['https://github.com/soradesk/soradesk/issues/new', 'https://relay.example.test/account/keys']);
  });

  it('a second launch focuses the existing window', async () => {
    const { win } = await started();
    win.minimized = true;
    electron.app.emit('second-instance');
    expect(win.restored).toBe(1);
    expect(win.focused).toBe(1);
  });

  it('quitting waits for the core to flush and remove connection.json, then quits for real', async () => {
    await started();
    const file = path.join(electron.app.userData, 'connection.json');
    let willQuit = false;
    electron.app.on('will-quit', () => { willQuit = true; });
    electron.app.quit();
    expect(willQuit).toBe(false);
    await vi.waitFor(() => expect(willQuit).toBe(true));
    expect(fs.existsSync(file)).toBe(false);
    expect(electron.app.quitCalls).toBe(2);
  });

  it('flushes the core when Windows ends the session (no before-quit then)', async () => {
    const { win } = await started();
    const file = path.join(electron.app.userData, 'connection.json');
    expect(fs.existsSync(file)).toBe(true);
    win.emit('session-end');
    await vi.waitFor(() => expect(fs.existsSync(file)).toBe(false));
  });

  it('tells the user and quits when the core cannot start (data dir held by another service)', async () => {
    fs.mkdirSync(electron.app.userData, { recursive: true });
    const holder = createCore({ dataDir: electron.app.userData, settings: createConfBackend({ cwd: path.join(dir, 'other') }), secrets: createSecretStore('memory'), logger: silentLogger });
    cores.push(holder);
    await holder.start();
    const { handle } = launch();
    electron.app.becomeReady();
    expect(await handle.started).toBe(false);
    expect(electron.dialog.errors).toHaveLength(1);
    expect(electron.dialog.errors[0].title).toBe('SoraDesk could not start');
    expect(electron.app.quitCalls).toBeGreaterThan(0);
    expect(handle.window()).toBeNull();
  });
});
