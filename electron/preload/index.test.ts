import { describe, expect, it, vi } from 'vitest';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { BRIDGE_KEYS } from '@shared/contract/bridge';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from './channels';
import { fakeElectron } from '../main/test-support/fake-electron';

vi.mock('electron', async () => (await import('../main/test-support/fake-electron')).fakeElectron);

process.argv.push('--soradesk-version=9.8.7');
await import('./index');
const { contextBridge, ipcRenderer } = fakeElectron;
const bridge = contextBridge.exposed.get('soradesk') as SoraDeskBridge;

describe('preload bridge', () => {
  it('exposes exactly window.soradesk with the allowed keys and nothing raw', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['soradesk']);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    for (const value of Object.values(bridge)) expect(value).not.toBe(ipcRenderer);
    expect(bridge.appInfo).toEqual({ version: '9.8.7', platform: process.platform, mediaBase: 'app://soradesk/media/' });
  });

  it('sends envelopes on the one channel, and says "ready" once when the first listener attaches', () => {
    ipcRenderer.sent.length = 0;
    bridge.send({ type: 'ping', id: 1 });
    expect(ipcRenderer.sent).toEqual([{ channel: IPC_TO_MAIN, args: ['envelope', { type: 'ping', id: 1 }] }]);
    const got: unknown[][] = [[], []];
    const off0 = bridge.onMessage((m) => got[0].push(m));
    bridge.onMessage((m) => got[1].push(m));
    expect(ipcRenderer.sent.filter((s) => s.args[0] === 'ready')).toHaveLength(1);

    // The renderer gets the envelope only, never the IPC event (which holds the sender).
    const msg = { type: 'pong', id: 1, timestamp: 1, payload: {} };
    ipcRenderer.emit(IPC_TO_RENDERER, { sender: ipcRenderer }, msg);
    off0();
    ipcRenderer.emit(IPC_TO_RENDERER, { sender: ipcRenderer }, { ...msg, id: 2 });
    expect(got[0]).toEqual([msg]);
    expect(got[1]).toEqual([msg, { ...msg, id: 2 }]);
  });

  it('asks main to reveal a video by id only', () => {
    ipcRenderer.sent.length = 0;
    bridge.showItemInFolder('v1');
    bridge.showItemInFolder('' as string);
    bridge.openVideo('v2');
    bridge.openVideo(42 as unknown as string);
    expect(ipcRenderer.sent).toEqual([{ channel: IPC_TO_MAIN, args: ['showItemInFolder', 'v1'] }, { channel: IPC_TO_MAIN, args: ['openVideo', 'v2'] }]);
  });
});
