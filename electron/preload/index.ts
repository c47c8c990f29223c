// The sandboxed preload: exposes window.soradesk (BRIDGE_KEYS) and nothing else. No raw ipcRenderer,
// no Node: the renderer can only send envelopes, hear envelopes, and read facts about the app.
// Built as CommonJS (a sandboxed preload cannot be an ES module).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ClientEnvelope, ServerEnvelope } from '@shared/contract/messages';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from './channels';

const MEDIA_BASE = 'app://soradesk/media/';

function readVersion(): string {
  // Main passes the version as an argument (`--soradesk-version=`), since a sandboxed preload has no app API.
  const arg = process.argv.find((a) => a.startsWith('--soradesk-version='));
  return arg ? arg.slice('--soradesk-version='.length) : '0.0.0';
}

const listeners = new Set<(msg: ServerEnvelope) => void>();
let readySent = false;

// One IPC listener for all subscribers; the renderer never sees the IpcRendererEvent (it holds `sender`).
ipcRenderer.on(IPC_TO_RENDERER, (_event: IpcRendererEvent, msg: ServerEnvelope) => {
  for (const listener of listeners) {
    try {
      listener(msg);
    } catch (err) {
      console.error('soradesk listener failed', err);
    }
  }
});

const bridge: SoraDeskBridge = {
  send(envelope: ClientEnvelope) {
    ipcRenderer.send(IPC_TO_MAIN, 'envelope', envelope);
  },
  onMessage(listener) {
    if (typeof listener !== 'function') throw new TypeError('onMessage needs a function');
    listeners.add(listener);
    // The first listener means the UI can take pushes: main then flushes what it queued.
    if (!readySent) {
      readySent = true;
      ipcRenderer.send(IPC_TO_MAIN, 'ready');
    }
    return () => {
      listeners.delete(listener);
    };
  },
  appInfo: Object.freeze({ version: readVersion(), platform: process.platform, mediaBase: MEDIA_BASE }),
  showItemInFolder(videoId: string) {
    if (typeof videoId !== 'string' || videoId.length === 0) return;
    ipcRenderer.send(IPC_TO_MAIN, 'showItemInFolder', videoId);
  },
  openVideo(videoId: string) {
    if (typeof videoId !== 'string' || videoId.length === 0) return;
    ipcRenderer.send(IPC_TO_MAIN, 'openVideo', videoId);
  },
};

contextBridge.exposeInMainWorld('soradesk', bridge);
