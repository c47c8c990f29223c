import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import { silentLogger } from '../core/log';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from '../preload/channels';
import { createIpcDoor, type IpcDoor } from './ipc-door';
import { FakeBrowserWindow, FakeFrame, FakeWebContents, fakeElectron, resetFakes } from './test-support/fake-electron';
import { createStandInCore } from './test-support/stand-in-core';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

const { ipcMain } = fakeElectron;

function setup() {
  const standIn = createStandInCore();
  const shown: string[] = [];
  const opened: string[] = [];
  const door = createIpcDoor({
    core: standIn.core, logger: silentLogger, devOrigin: null, showItemInFolder: (id) => shown.push(id), openVideo: (id) => opened.push(id),
  });
  const win = new FakeBrowserWindow({});
  win.webContents.mainFrame.url = 'app://soradesk/index.html';
  door.attach(win as never);
  const wc = win.webContents;
  const fromApp = (...args: unknown[]) => ipcMain.deliver(IPC_TO_MAIN, { sender: wc, senderFrame: wc.mainFrame }, ...args);
  const received = () => wc.sent.filter((s) => s.channel === IPC_TO_RENDERER).map((s) => s.args[0] as ServerEnvelope);
  return { ...standIn, door, win, wc, fromApp, received, shown, opened };
}

/** Lets the router's async dispatch finish. */
const settle = () => new Promise((r) => setTimeout(r, 0));

let door: IpcDoor | null = null;
beforeEach(() => resetFakes());
afterEach(() => { door?.dispose(); door = null; });

describe('IPC door', () => {
  it('routes an envelope from the app window to the router and answers with its id', async () => {
    const s = setup();
    door = s.door;
    s.fromApp('ready');
    s.fromApp('envelope', { type: 'ping', id: 'p1' });
    s.fromApp('envelope', { type: 'getStats', id: 2 });
    await settle();
    expect(s.received()).toMatchObject([{ type: 'pong', id: 'p1' }, { type: 'stats', id: 2, payload: { total: 0 } }]);
  });

  it('answers an object with a bad shape with BAD_REQUEST (the router validates it)', async () => {
    const s = setup();
    door = s.door;
    s.fromApp('ready');
    s.fromApp('envelope', { id: 'x', payload: 'not an object' });
    await settle();
    expect(s.received()).toMatchObject([{ type: 'error', id: 'x', payload: { code: 'BAD_REQUEST' } }]);
  });

  it('refuses frames that are not objects at the door: nothing reaches the router', async () => {
    const s = setup();
    door = s.door;
    s.fromApp('ready');
    for (const frame of ['{"type":"ping","id":1}', null, 42, [{ type: 'ping' }], undefined, new Uint8Array([1, 2])]) s.fromApp('envelope', frame);
    s.fromApp('teleport', { type: 'ping', id: 'k' });
    await settle();
    expect(s.received()).toEqual([]);
    // The door is still usable afterwards.
    s.fromApp('envelope', { type: 'ping', id: 'after' });
    await settle();
    expect(s.received()).toMatchObject([{ type: 'pong', id: 'after' }]);
  });

  it('refuses IPC from another webContents, a subframe, or a page off the app origin', async () => {
    const s = setup();
    door = s.door;
    s.fromApp('ready');
    const other = new FakeWebContents('app://soradesk/index.html');
    ipcMain.deliver(IPC_TO_MAIN, { sender: other, senderFrame: other.mainFrame }, 'envelope', { type: 'ping', id: 'other-wc' });
    ipcMain.deliver(IPC_TO_MAIN, { sender: s.wc, senderFrame: new FakeFrame('app://soradesk/index.html') }, 'envelope', { type: 'ping', id: 'subframe' });
    ipcMain.deliver(IPC_TO_MAIN, { sender: s.wc, senderFrame: null }, 'envelope', { type: 'ping', id: 'no-frame' });
    // A subframe in the app's own renderer process (same processId, another routingId).
    ipcMain.deliver(IPC_TO_MAIN, { sender: s.wc, senderFrame: new FakeFrame('app://soradesk/index.html', s.wc.mainFrame.processId) }, 'envelope', { type: 'ping', id: 'same-process-subframe' });
    for (const url of ['https://evil.example/', 'app://soradesk.evil/index.html', 'file:///etc/passwd', 'app://user@soradesk/']) {
      s.wc.mainFrame.url = url;
      s.fromApp('envelope', { type: 'ping', id: url });
    }
    await settle();
    expect(s.received()).toEqual([]);
    s.wc.mainFrame.url = 'app://soradesk/index.html#/tasks';
    s.fromApp('envelope', { type: 'ping', id: 'ok' });
    // The main frame seen through another wrapper object: same Chromium ids, still the app.
    const sameFrame = new FakeFrame(s.wc.mainFrame.url, s.wc.mainFrame.processId, s.wc.mainFrame.routingId);
    ipcMain.deliver(IPC_TO_MAIN, { sender: s.wc, senderFrame: sameFrame }, 'envelope', { type: 'ping', id: 'ok-2' });
    await settle();
    expect(s.received()).toMatchObject([{ type: 'pong', id: 'ok' }, { type: 'pong', id: 'ok-2' }]);
  });

  it('queues pushes until the renderer is ready, then delivers them in order', async () => {
    const s = setup();
    door = s.door;
    s.update('v1', { status: 'QUEUED', progress: 0 });
    s.update('v1', { status: 'PROCESSING', progress: 40 });
    s.hub.broadcast('notice', { level: 'info', code: 'HELLO', message: 'hi' });
    expect(s.received()).toEqual([]);
    s.fromApp('ready');
    expect(s.received().map((m) => [m.type, (m.payload as { status?: string }).status ?? null])).toEqual([
      ['taskUpdated', 'QUEUED'], ['taskUpdated', 'PROCESSING'], ['notice', null],
    ]);
    s.update('v1', { status: 'COMPLETED', progress: 100 });
    expect(s.received().at(-1)).toMatchObject({ type: 'taskUpdated', payload: { videoId: 'v1', status: 'COMPLETED' } });
  });

  it('queues a desktop push (focusTask) like any other until the renderer is ready', () => {
    const s = setup();
    door = s.door;
    s.door.push('focusTask', { videoId: 'v9' });
    expect(s.received()).toEqual([]);
    s.fromApp('ready');
    expect(s.received()).toEqual([expect.objectContaining({ type: 'focusTask', payload: { videoId: 'v9' } })]);
    expect(s.received()[0].id).toBeUndefined();
  });

  it('queues again after the page reloads, until the new page is ready', () => {
    const s = setup();
    door = s.door;
    s.fromApp('ready');
    s.wc.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'app://soradesk/index.html' });
    s.update('v2', { status: 'QUEUED' });
    expect(s.received()).toEqual([]);
    s.fromApp('ready');
    expect(s.received()).toMatchObject([{ type: 'taskUpdated', payload: { videoId: 'v2' } }]);
  });

  it('drops its connection when the window closes', () => {
    const s = setup();
    door = s.door;
    expect(s.hub.size).toBe(1);
    s.win.close();
    expect(s.hub.size).toBe(0);
  });

  it('passes a video id for "show in folder" and refuses anything else', () => {
    const s = setup();
    door = s.door;
    s.fromApp('showItemInFolder', 'v1');
    s.fromApp('showItemInFolder', { path: '/etc' });
    s.fromApp('showItemInFolder', '');
    expect(s.shown).toEqual(['v1']);
    s.fromApp('openVideo', 'v2');
    s.fromApp('openVideo', ['/etc/passwd']);
    s.fromApp('openVideo', 'x'.repeat(201));
    expect(s.opened).toEqual(['v2']);
  });
});
