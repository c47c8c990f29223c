// The IPC door: one channel from the renderer to the core's router. Only the app's own window, main
// frame, on the app's origin, may use it (Cherry Studio's sender checks); pushes wait until the renderer
// says it is listening (electron/fiddle's ready queue), then go out in order.
import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import type { ServerEnvelope, ServerPayload } from '@shared/contract/messages';
import type { PushType } from '@shared/contract/routes';
import type { Core } from '../core/core-types';
import type { Logger } from '../core/log';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from '../preload/channels';
import { isAppUrl } from './app-origin';

/** Past this many undelivered messages the oldest go: a renderer that never gets ready must not grow memory. */
export const MAX_QUEUED = 5_000;

export interface IpcDoorOptions {
  core: Pick<Core, 'openLocalConnection'>;
  logger: Logger;
  /** The electron-vite dev server origin (development only), else null. */
  devOrigin: string | null;
  /** Desktop extra: reveal a video's file (validated id; main resolves the path). */
  showItemInFolder?: (videoId: string) => void;
  /** Desktop extra: open a video's file in the system's player (validated id; main resolves the path). */
  openVideo?: (videoId: string) => void;
}

export interface IpcDoor {
  /** Binds the door to the window (one at a time); its connection closes with the window. */
  attach(win: BrowserWindow): void;
  /** A desktop-only push to the renderer (queued like any push until it is ready). */
  push<T extends PushType>(type: T, payload: ServerPayload<T>): void;
  /** Removes the IPC listener and closes the connection. */
  dispose(): void;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

export function createIpcDoor(opts: IpcDoorOptions): IpcDoor {
  const { logger } = opts;
  let win: BrowserWindow | null = null;
  let local: ReturnType<Core['openLocalConnection']> | null = null;
  let ready = false;
  let queue: ServerEnvelope[] = [];

  const deliver = (msg: ServerEnvelope) => {
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    win.webContents.send(IPC_TO_RENDERER, msg);
  };

  const send = (msg: ServerEnvelope) => {
    if (ready) return deliver(msg);
    queue.push(msg);
    if (queue.length > MAX_QUEUED) queue.shift();
  };

  const flush = () => {
    ready = true;
    const pending = queue;
    queue = [];
    for (const msg of pending) deliver(msg);
  };

  /** The sender is our window's main frame, showing our own page. */
  const trusted = (event: IpcMainEvent): boolean => {
    if (!win || event.sender !== win.webContents) return false;
    const frame = event.senderFrame;
    const main = win.webContents.mainFrame;
    if (!frame || !main) return false;
    // Same frame by Chromium's ids, not only by JS wrapper identity (a frame may get a new wrapper).
    if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return false;
    return isAppUrl(frame.url, opts.devOrigin);
  };

  const onMessage = (event: IpcMainEvent, kind: unknown, frame: unknown) => {
    if (!trusted(event)) {
      logger.warn('IPC refused: not the app window main frame', { senderId: event.sender?.id, url: event.senderFrame?.url?.slice(0, 200) });
      return;
    }
    if (kind === 'ready') return flush();
    if (kind === 'showItemInFolder' || kind === 'openVideo') {
      if (typeof frame === 'string' && frame.length > 0 && frame.length <= 200) opts[kind]?.(frame);
      else logger.warn(`IPC refused: ${kind} needs a video id`);
      return;
    }
    if (kind !== 'envelope') {
      logger.warn('IPC refused: unknown message kind', { kind: String(kind).slice(0, 50) });
      return;
    }
    // A frame that is not even an object is dropped here; an object with a bad shape goes on to the
    // router, which answers BAD_REQUEST with the request's id.
    if (!isPlainObject(frame)) {
      logger.warn('IPC refused: frame is not an object', { frameType: Array.isArray(frame) ? 'array' : typeof frame });
      return;
    }
    local?.receive(frame).catch((err: unknown) => logger.error('IPC frame failed', { err }));
  };

  ipcMain.on(IPC_TO_MAIN, onMessage);

  const closeConnection = () => {
    local?.close();
    local = null;
  };

  return {
    attach(next) {
      closeConnection();
      win = next;
      ready = false;
      queue = [];
      local = opts.core.openLocalConnection(send);
      // A reload starts a new page that must say it is ready again before pushes reach it.
      next.webContents.on('did-start-navigation', (details: { isMainFrame?: boolean; isSameDocument?: boolean }) => {
        if (details?.isMainFrame && !details.isSameDocument) ready = false;
      });
      next.on('closed', () => {
        if (win === next) {
          closeConnection();
          win = null;
        }
      });
    },
    push(type, payload) {
      if (win) send({ type, timestamp: Date.now(), payload });
    },
    dispose() {
      ipcMain.removeListener(IPC_TO_MAIN, onMessage);
      closeConnection();
      win = null;
    },
  };
}
