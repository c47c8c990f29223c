// The desktop door: app:// as Electron calls it (protocol.handle, here the mocked electron module) with
// real Request objects, over the same world and cases as the HTTP door's test.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '@shared/contract/errors';
import { silentLogger } from '../core/log';
import type { MediaSource } from '../core/server/door-types';
import {
  DOOR_CASES, endlessVideo, expectDoorAnswer, HOSTILE_HEADER_NAMES, openMediaWorld, OUTSIDE_SECRET, readResponse, settled, type MediaWorld,
} from '../core/server/test-support/media-door';
import { until } from '../core/tasks/test-support/service-harness';
import { APP_CSP } from './app-origin';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { fakeElectron, resetFakeElectron } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

let world: MediaWorld;
beforeAll(async () => { world = await openMediaWorld(); });
afterAll(() => world.close());

/** Registers the scheme and its handler as the shell does, then asks Electron's (mocked) protocol. */
function desktopDoor(media: MediaSource | undefined = world.media) {
  resetFakeElectron();
  registerAppScheme();
  fakeElectron.app.becomeReady();
  handleAppProtocol({ rendererDir: world.rendererDir, media, logger: silentLogger });
  const handler = fakeElectron.protocol.handlers.get('app');
  if (!handler) throw new Error('app:// has no handler');
  return (url: string, init: RequestInit = {}) => handler(new Request(url, init)) as Promise<Response>;
}
const ask = (url: string, init?: RequestInit) => desktopDoor()(url, init);

describe('app:// protocol', () => {
  it('registers app as a privileged standard, secure scheme', () => {
    resetFakeElectron();
    registerAppScheme();
    expect(fakeElectron.protocol.privileged).toContainEqual({
      scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true, stream: true }),
    });
  });

  it('the CSP allows scripts only from the app: no inline script, eval, remote hosts, plugins or frames', () => {
    const directives = Object.fromEntries(APP_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('answers only its own host, with the CSP on the refusal too', async () => {
    const res = await ask('app://other-host/index.html');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('answers 500 without details for a bug in the media source', async () => {
    const bug: MediaSource = { open: async () => { throw new Error('media source bug'); } };
    const res = await desktopDoor(bug)('app://soradesk/media/v1');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('media source bug');
    const refused: MediaSource = { open: async () => { throw new AppError('KEYCHAIN_UNAVAILABLE', 'unlock the keychain'); } };
    expect((await desktopDoor(refused)('app://soradesk/media/v1')).status).toBe(503);
  });
});

describe('app:// protocol: the media and static cases both doors answer alike', () => {
  it.each(DOOR_CASES)('$name: $status', async (c) => {
    const got = await readResponse(await ask(`app://soradesk${c.path}`, { method: c.method, headers: c.headers }));
    expectDoorAnswer(c, got);
    expect(got.headers['content-security-policy']).toBe(APP_CSP);
  });

  it('streams a video as the player reads it, and lets the source go when the player stops', async () => {
    const video = endlessVideo();
    const res = await desktopDoor(video.media)('app://soradesk/media/big');
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    // The player reads one chunk: the source stops after what the stream's buffer holds.
    expect(await settled(video.produced)).toBeLessThan(32 * 1024 * 1024);
    await reader.cancel();
    await until(video.destroyed, 'the source is destroyed once the player has gone');
  });
});

describe('app:// protocol: attacks from the review (issue 12)', () => {
  it('a hostile upstream\'s headers never reach the app\'s origin: only a media type, lengths, ranges and our own headers', async () => {
    const res = await ask('app://soradesk/media/hostile?variant=video');
    const leaked = HOSTILE_HEADER_NAMES.filter((name) => res.headers.has(name)).map((name) => `${name}: ${res.headers.get(name)}`);
    expect(leaked).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^video\//);
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    await res.body?.cancel();
  });

  it('a symlink in the UI folder that leads out of it is refused like a missing file', async () => {
    for (const url of ['app://soradesk/assets/leak.txt', 'app://soradesk/up/outside-secret.txt']) {
      const res = await ask(url);
      expect(await res.text(), url).not.toContain(OUTSIDE_SECRET);
      expect(res.status, url).toBe(404);
    }
  });
});
