import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import { UpdateStateSchema } from '@shared/contract/update';
import type { UpdateState } from '../core/update-types';
import { silentLogger } from '../core/log';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from '../preload/channels';
import { createIpcDoor } from './ipc-door';
import { CHECK_EVERY_MS, createUpdater, type AutoUpdaterLike } from './updater';
import { FakeBrowserWindow, fakeElectron } from './test-support/fake-electron';
import { createStandInCore } from './test-support/stand-in-core';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

/** electron-updater's autoUpdater as far as the port can tell: an EventEmitter with knobs. */
class FakeAutoUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = false;
  allowDowngrade = true;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs: unknown[][] = [];
  failNext: Error | null = null;
  async checkForUpdates() {
    this.checks++;
    if (this.failNext) throw this.failNext;
    this.emit('checking-for-update');
    return null;
  }
  quitAndInstall(...args: unknown[]) { this.installs.push(args); }
  // The hooks signed-updates.ts wraps (signed-update.test.ts runs the real electron-updater through them).
  executeDownload = async () => undefined;
  getOrCreateDownloadHelper = async () => ({ validateDownloadedPath: async () => null, clear: async () => {} });
  httpExecutor = { downloadToBuffer: async () => Buffer.alloc(0) };
}

function setup(online = true) {
  const au = new FakeAutoUpdater();
  const order: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let isOnline = online;
  let clock = 1_000_000;
  const updater = createUpdater({
    autoUpdater: au, isOnline: () => isOnline, logger: silentLogger,
    beforeInstall: async () => { order.push('core.stop'); },
    setInterval: (fn, ms) => { timers.push({ fn, ms }); return {}; },
    now: () => clock,
  });
  const seen: UpdateState[] = [];
  updater.onState((s) => seen.push(s));
  /** Lets the schedule's interval fire once, `ms` after the previous tick. */
  const tick = async (ms = timers[0].ms) => { clock += ms; timers[0].fn(); await Promise.resolve(); };
  return { au, updater, seen, timers, order, tick, goOnline: (v: boolean) => { isOnline = v; } };
}

describe('updater', () => {
  it('downloads in the background and never downgrades', () => {
    const { au } = setup();
    expect(au.autoDownload).toBe(true);
    expect(au.allowDowngrade).toBe(false);
  });

  it('reports each step of an update as a valid UpdateState', async () => {
    const { au, updater, seen } = setup();
    await updater.check();
    au.emit('update-available', { version: '1.1.0' });
    au.emit('download-progress', { percent: 41.6 });
    au.emit('update-downloaded', { version: '1.1.0' });
    expect(seen).toEqual([
      { state: 'checking' },
      { state: 'available', version: '1.1.0' },
      { state: 'downloading', version: '1.1.0', progress: 42 },
      { state: 'downloaded', version: '1.1.0' },
    ]);
    for (const s of seen) expect(UpdateStateSchema.safeParse(s).success).toBe(true);
    expect(updater.getState()).toEqual({ state: 'downloaded', version: '1.1.0' });
  });

  it('turns failures into state "error" without the feed URL', async () => {
    const { au, updater } = setup();
    au.failNext = new Error('HttpError: 404 https://updates.example/latest.yml?token=abc\nstack...');
    await updater.check();
    expect(updater.getState()).toEqual({ state: 'error', message: 'HttpError: 404 [url]' });
    au.emit('update-not-available');
    expect(updater.getState()).toEqual({ state: 'up-to-date' });
  });

  it('checks at start and every 6 hours, only when online', async () => {
    const { au, updater, tick } = setup(true);
    updater.startSchedule();
    await Promise.resolve();
    expect(au.checks).toBe(1);
    au.emit('update-not-available');
    expect(CHECK_EVERY_MS).toBe(6 * 3600 * 1000);
    await tick(CHECK_EVERY_MS - 1);
    expect(au.checks).toBe(1);
    await tick(1);
    expect(au.checks).toBe(2);
  });

  it('an app that started offline checks soon after it is online, not 6 hours later', async () => {
    const { au, updater, tick, goOnline, timers } = setup(false);
    updater.startSchedule();
    // "Soon": the schedule looks at least every 15 minutes.
    expect(timers[0].ms).toBeLessThanOrEqual(15 * 60 * 1000);
    await tick();
    expect(au.checks).toBe(0);
    goOnline(true);
    await tick();
    expect(au.checks).toBe(1);
    au.emit('update-not-available');
    await tick();
    expect(au.checks).toBe(1);
  });

  it('installs only a downloaded update, after the core has flushed', async () => {
    const { au, updater, order } = setup();
    updater.install();
    expect(au.installs).toEqual([]);
    au.emit('update-downloaded', { version: '2.0.0' });
    updater.install();
    await vi.waitFor(() => expect(au.installs).toHaveLength(1));
    expect(order).toEqual(['core.stop']);
  });

  it('an electron-updater without the hooks for signature checks is never used: self-update is off and says so', async () => {
    const au = new FakeAutoUpdater();
    (au as Partial<FakeAutoUpdater>).executeDownload = undefined;
    const updater = createUpdater({ autoUpdater: au, isOnline: () => true, logger: silentLogger, beforeInstall: async () => {} });
    await updater.check();
    updater.startSchedule();
    expect(au.checks).toBe(0);
    expect(updater.getState()).toEqual({ state: 'error', message: 'Self-update is off: this build cannot check update signatures.' });
  });

  it('is unsupported in development (not packaged) and never checks', async () => {
    const updater = createUpdater({ autoUpdater: null, isOnline: () => true, logger: silentLogger, beforeInstall: async () => {} });
    await updater.check();
    updater.startSchedule();
    updater.install();
    expect(updater.getState()).toEqual({ state: 'unsupported' });
  });

  it('its state changes reach the renderer over IPC as updateState messages', async () => {
    const { au, updater } = setup();
    const standIn = createStandInCore({ updater });
    const door = createIpcDoor({ core: standIn.core, logger: silentLogger, devOrigin: null });
    const win = new FakeBrowserWindow({});
    door.attach(win as never);
    const wc = win.webContents;
    const received = () => wc.sent.filter((s) => s.channel === IPC_TO_RENDERER).map((s) => s.args[0] as ServerEnvelope);
    fakeElectron.ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, 'ready');
    fakeElectron.ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, 'envelope', { type: 'getUpdateState', id: 'u1' });
    await vi.waitFor(() => expect(received()).toHaveLength(1));
    au.emit('update-available', { version: '3.0.0' });
    au.emit('update-downloaded', { version: '3.0.0' });
    expect(received()).toMatchObject([
      { type: 'updateState', id: 'u1', payload: { state: 'idle' } },
      { type: 'updateState', payload: { state: 'available', version: '3.0.0' } },
      { type: 'updateState', payload: { state: 'downloaded', version: '3.0.0' } },
    ]);
    door.dispose();
  });
});
