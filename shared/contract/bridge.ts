// The one API the preload exposes to the renderer through contextBridge (window.soradesk): the
// preload implements it, the renderer uses it, so it lives here, between the two.
// Narrow by design: envelopes in, envelopes out, and facts about the app. No raw ipcRenderer.
import type { ClientEnvelope, ServerEnvelope } from './messages';

export interface AppInfo {
  version: string;
  platform: string;
  /** Base URL for the player: `${mediaBase}${videoId}?variant=video|thumbnail` (the app's own protocol). */
  mediaBase: string;
}

export interface SoraDeskBridge {
  /** Sends one client envelope to the core over IPC. */
  send(envelope: ClientEnvelope): void;
  /** Listens to server envelopes (replies and pushes); returns an unsubscribe function.
   *  Main queues pushes until the renderer's first listener is attached (the "ready" signal). */
  onMessage(listener: (msg: ServerEnvelope) => void): () => void;
  readonly appInfo: AppInfo;
  /** Desktop only: reveals a downloaded video in the OS file manager. */
  showItemInFolder(videoId: string): void;
  /** Desktop only: opens a downloaded video in the system's player. */
  openVideo(videoId: string): void;
}

export const BRIDGE_KEYS = ['send', 'onMessage', 'appInfo', 'showItemInFolder', 'openVideo'] as const;
