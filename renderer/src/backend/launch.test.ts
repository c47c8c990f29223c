import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { ContractClient } from '@shared/client/contract-client';
import { launch, type LaunchWindow, takeToken } from './launch';

/** Just enough of a tab's location, history and sessionStorage to watch what happens to the token. */
function tab(hash: string) {
  const store = new Map<string, string>();
  const loc = { hash, pathname: '/', search: '', host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', protocol: 'http:' };
  const urls: string[] = [];
  const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => { urls.push(url); loc.hash = ''; } };
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
  return { loc, history, storage, urls, store };
}

describe('taking the token from the link', () => {
  it('reads #token=, removes it from the address bar, and still has it after a reload', () => {
    const t = tab('#token=abc%2Edef');
    expect(takeToken(t.loc as unknown as Location, t.history as unknown as History, t.storage as unknown as Storage)).toBe('abc.def');
    expect(t.urls).toEqual(['/']);
    expect(t.loc.hash).toBe('');
    // The reload: no fragment any more, the tab's sessionStorage still knows it.
    expect(takeToken(t.loc as unknown as Location, t.history as unknown as History, t.storage as unknown as Storage)).toBe('abc.def');
  });

  it('without a token in the link or the tab there is nothing to connect with', () => {
    const t = tab('');
    const win = { location: t.loc, history: t.history, sessionStorage: t.storage } as unknown as LaunchWindow;
    expect(launch(win)).toBeNull();
  });

  it('builds media URLs on the token-protected route in browser mode', () => {
    const t = tab('#token=tok');
    const win = { location: t.loc, history: t.history, sessionStorage: t.storage, WebSocket } as unknown as LaunchWindow;
    expect(launch(win)?.mediaUrl('v 1', 'thumbnail')).toBe('http://127.0.0.1:4000/media/v%201?variant=thumbnail&token=tok');
  });
});

describe('the Electron bridge transport', () => {
  // Electron cannot run on this machine; this in-memory bridge answers the way the main process's IPC door does.
  function bridge(): SoraDeskBridge {
    const listeners = new Set<(m: ServerEnvelope) => void>();
    return {
      appInfo: { version: '0.1.0', platform: 'linux', mediaBase: 'app://soradesk/media/' },
      showItemInFolder: () => undefined,
      openVideo: () => undefined,
      onMessage: (l) => { listeners.add(l); return () => listeners.delete(l); },
      send: (env) => queueMicrotask(() => {
        for (const l of listeners) {
          l({ type: 'taskUpdated', timestamp: 1, payload: { videoId: 'pushed' } });
          l({ type: 'pong', id: env.id, timestamp: 1, payload: {} });
        }
      }),
    };
  }

  it('connects without auth, correlates replies and passes pushes on; media goes through the app protocol', async () => {
    const win = { soradesk: bridge() } as unknown as LaunchWindow;
    const launched = launch(win);
    expect(launched?.mediaUrl('v1', 'video')).toBe('app://soradesk/media/v1?variant=video');
    const client = new ContractClient(launched!.transport);
    const pushes: string[] = [];
    client.onMessage((m) => { if (m.id === undefined) pushes.push(m.type); });
    await client.connect();
    expect(client.connectionState).toBe('connected');
    expect(await client.request('ping')).toEqual({});
    expect(pushes).toEqual(['taskUpdated']);
    client.stop();
  });

  it('sends the first frames as soon as it opens (the boot module\'s first page goes over IPC too)', async () => {
    const launched = launch({ soradesk: bridge() } as unknown as LaunchWindow);
    const got: ServerEnvelope[] = [];
    await launched!.transport.open({ onMessage: (m) => got.push(m), onClose: () => undefined }, { firstFrames: [{ type: 'ping', id: 'early' }] });
    await new Promise((r) => setTimeout(r, 0));
    expect(got.find((m) => m.type === 'pong')?.id).toBe('early');
  });
});
