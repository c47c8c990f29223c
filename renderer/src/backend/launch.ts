// How this page reaches the core: the Electron bridge when the preload exposed it, else the
// WebSocket of `npm run serve` with the token handed over in the URL fragment.
import type { ContractTransport } from '@shared/client/transport';
import { createWsTransport } from '@shared/client/ws-transport';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { createBridgeTransport } from './bridge-transport';

const TOKEN_KEY = 'soradesk.token';

export interface Launch {
  transport: ContractTransport;
  bridge: SoraDeskBridge | null;
  /** `${base}${videoId}?variant=...`-style URL for the player and thumbnails. */
  mediaUrl(videoId: string, variant: 'video' | 'thumbnail'): string;
  /**
   * Browser mode: does anything answer at the service's address? (The link is down: did the service
   * stop, or only the connection drop?) Null in the desktop app, where the service is in-process.
   */
  probeService: (() => Promise<boolean>) | null;
}

/** The token in a link's fragment (`#token=…`), or null. */
export function tokenInHash(hash: string): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash);
  return match ? decodeURIComponent(match[1]) : null;
}

/**
 * Takes the token from `#token=...`, removes it from the address bar (so it is not bookmarked,
 * shared or left in history) and keeps it for this tab only, so a reload still works.
 */
export function takeToken(loc: Location, history: History, storage: Storage): string | null {
  const token = tokenInHash(loc.hash);
  if (token) {
    storage.setItem(TOKEN_KEY, token);
    history.replaceState(history.state, '', loc.pathname + loc.search);
    return token;
  }
  return storage.getItem(TOKEN_KEY);
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(TOKEN_KEY);
}

/** What `launch` needs of the page's window (the preload adds `soradesk` in Electron). */
export interface LaunchWindow {
  location: Location;
  history: History;
  sessionStorage: Storage;
  WebSocket: typeof WebSocket;
  fetch?: typeof fetch;
  soradesk?: SoraDeskBridge;
}

export function launch(win: LaunchWindow): Launch | null {
  const bridge = win.soradesk ?? null;
  if (bridge) {
    const base = bridge.appInfo.mediaBase;
    return {
      transport: createBridgeTransport(bridge),
      bridge,
      mediaUrl: (videoId, variant) => `${base}${encodeURIComponent(videoId)}?variant=${variant}`,
      probeService: null,
    };
  }
  const token = takeToken(win.location, win.history, win.sessionStorage);
  if (!token) return null;
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  const wsUrl = `${scheme}://${win.location.host}/ws`;
  return {
    transport: createWsTransport({ url: wsUrl, token, openSocket: (url) => new win.WebSocket(url) }),
    bridge: null,
    mediaUrl: (videoId, variant) =>
      `${win.location.origin}/media/${encodeURIComponent(videoId)}?variant=${variant}&token=${encodeURIComponent(token)}`,
    // Any answer at all (even an error page) means the service is there; a refused connection means not.
    probeService: win.fetch
      ? () => win.fetch!.call(globalThis, `${win.location.origin}/`, { method: 'HEAD', cache: 'no-store' }).then(() => true, () => false)
      : null,
  };
}
