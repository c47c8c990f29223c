import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/log';
import type { MediaSource } from '../core/server/door-types';
import { HOSTILE_HEADER_NAMES, openMediaWorld, OUTSIDE_SECRET, type MediaWorld } from '../core/server/media-door-test-support';
import { APP_CSP } from './app-origin';
import { createAppProtocolHandler, registerAppScheme } from './app-protocol';
import { fakeElectron } from './test/fake-electron';

vi.mock('electron', async () => (await import('./test/fake-electron')).fakeElectron);

let dir: string;
let rendererDir: string;
const mediaCalls: { videoId: string; variant: string; range: string | undefined }[] = [];
const media: MediaSource = {
  async open(videoId, variant, range) {
    mediaCalls.push({ videoId, variant, range });
    const headers: Record<string, string> = videoId === 'v1' ? { 'Content-Type': 'video/mp4', 'Content-Range': 'bytes 0-3/10' } : { 'Content-Type': 'text/plain' };
    if (videoId !== 'v1') return { status: 404, headers, body: Readable.from(['no such video']) };
    return { status: 206, headers, body: Readable.from([Buffer.from('0123')]) };
  },
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-proto-'));
  rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>SoraDesk</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const handler = () => createAppProtocolHandler({ rendererDir, media, logger: silentLogger });
const get = (url: string, headers: Record<string, string> = {}) => handler()(new Request(url, { headers }));

describe('app:// protocol', () => {
  it('registers app as a privileged standard, secure scheme', () => {
    registerAppScheme();
    expect(fakeElectron.protocol.privileged).toContainEqual({
      scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true, stream: true }),
    });
  });

  it('serves the UI with its type and the strict CSP', async () => {
    for (const url of ['app://soradesk/', 'app://soradesk/index.html']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
      expect(await res.text()).toContain('<title>SoraDesk</title>');
    }
    const js = await get('app://soradesk/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
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

  it('refuses paths that leave the renderer folder, with the CSP on the refusal too', async () => {
    for (const url of ['app://soradesk/..%2fsecret.txt', 'app://soradesk/%2e%2e/secret.txt', 'app://soradesk/assets/..%2f..%2fsecret.txt',
      'app://soradesk/%2e%2e%5csecret.txt']) {
      const res = await get(url);
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('outside the renderer');
      expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    }
    const missing = await get('app://soradesk/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(APP_CSP);
    expect((await get('app://other-host/index.html')).status).toBe(404);
  });

  it('hands media requests to the core with the variant and Range, and passes its answer through', async () => {
    mediaCalls.length = 0;
    const res = await get('app://soradesk/media/v1?variant=video', { Range: 'bytes=0-3' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 0-3/10');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await res.text()).toBe('0123');
    expect((await get('app://soradesk/media/nope?variant=thumbnail')).status).toBe(404);
    expect(mediaCalls).toEqual([{ videoId: 'v1', variant: 'video', range: 'bytes=0-3' }, { videoId: 'nope', variant: 'thumbnail', range: undefined }]);
    expect((await get('app://soradesk/media/v1?variant=../../x')).status).toBe(400);
  });
});

describe('app:// protocol: attacks from the review (issue 12)', () => {
  let world: MediaWorld;
  beforeAll(async () => { world = await openMediaWorld(); });
  afterAll(() => world.close());
  const ask = (url: string) => createAppProtocolHandler({ rendererDir: world.rendererDir, media: world.media, logger: silentLogger })(new Request(url));

  it.fails('a hostile upstream\'s headers never reach the app\'s origin: only a media type, lengths, ranges and our own headers', async () => {
    const res = await ask('app://soradesk/media/hostile?variant=video');
    const leaked = HOSTILE_HEADER_NAMES.filter((name) => res.headers.has(name)).map((name) => `${name}: ${res.headers.get(name)}`);
    expect(leaked).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^video\//);
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    await res.body?.cancel();
  });

  it.fails('a symlink in the UI folder that leads out of it is refused like a missing file', async () => {
    for (const url of ['app://soradesk/assets/leak.txt', 'app://soradesk/up/outside-secret.txt']) {
      const res = await ask(url);
      expect(await res.text(), url).not.toContain(OUTSIDE_SECRET);
      expect(res.status, url).toBe(404);
    }
  });
});
