import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../tasks/test-support/service-harness';
import { createTokenIssuer } from './auth';
import { MEDIA_BYTES, rawGet, startTestDoor, type TestDoor } from './test-support/door-client';
import { contentSecurityPolicy } from './http-routes';
import {
  askHttpDoor, DOOR_CASES, endlessVideo, expectDoorAnswer, HOSTILE_HEADER_NAMES, openMediaWorld, OUTSIDE_SECRET, settled, type MediaWorld,
} from './test-support/media-door';

let tmp: string;
let rendererDir: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'soradesk-http-'));
  rendererDir = path.join(tmp, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>SoraDesk UI</title><div id="root"></div>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  // A file beside the renderer dir that traversal must never reach.
  await writeFile(path.join(tmp, 'outside-secret.txt'), 'OUTSIDE-SECRET');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

let current: TestDoor | null = null;
afterEach(async () => {
  await current?.door.close();
  current = null;
});
describe('HTTP routes: static UI', () => {
  it('serves index.html at / with a strict CSP and nosniff', async () => {
    const t = await startWith(rendererDir);
    const res = await rawGet(t.door.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('SoraDesk UI');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    for (const part of ["default-src 'self'", `connect-src 'self' ws://127.0.0.1:${t.door.port} ws://localhost:${t.door.port}`,
      "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "media-src 'self' blob:"]) {
      expect(csp).toContain(part);
    }
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([null, 'missing'])('shows a "not built yet" page when the renderer dir is %s', async (dir) => {
    const t = await startWith(dir === null ? null : path.join(tmp, dir));
    const res = await rawGet(t.door.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('npm run build');
    expect(res.body).toContain('WebSocket');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a foreign Host with 403 (DNS rebinding)', async () => {
    const t = await startWith(rendererDir);
    for (const host of ['evil.example', `evil.example:${t.door.port}`, '127.0.0.1:1']) {
      const res = await rawGet(t.door.port, '/', { Host: host });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('SoraDesk UI');
    }
    expect((await rawGet(t.door.port, '/', { Host: `localhost:${t.door.port}` })).status).toBe(200);
  });
});

describe('HTTP routes: media', () => {
  it('answers 401 without a valid token', async () => {
    const t = await startWith(null);
    expect((await rawGet(t.door.port, '/media/vid-1?variant=video')).status).toBe(401);
    expect((await rawGet(t.door.port, '/media/vid-1?variant=video&token=forged')).status).toBe(401);
    expect((await rawGet(t.door.port, '/media/vid-1', { Authorization: 'Bearer forged' })).status).toBe(401);
  });

  it('accepts the token as a Bearer header too, and lets no source loosen the door\'s CSP', async () => {
    const t = await startWith(null);
    const res = await rawGet(t.door.port, '/media/vid-1?variant=video', { Authorization: `Bearer ${t.token}` });
    expect(res.status).toBe(200);
    expect(res.body).toBe(MEDIA_BYTES.toString());
    // The source tried to loosen the CSP; the door's own policy wins, and the source's header is dropped.
    expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy(t.door.port));
  });

  it('answers 500 without details for a bug in the media source', async () => {
    const t = await startWith(null);
    const bug = await rawGet(t.door.port, `/media/vid-bug?token=${t.token}`);
    expect(bug.status).toBe(500);
    expect(bug.body).not.toContain('media source bug');
  });

  it('answers /ws without an upgrade with 426', async () => {
    const t = await startWith(null);
    expect((await rawGet(t.door.port, '/ws')).status).toBe(426);
  });
});

async function startWith(dir: string | null): Promise<TestDoor> {
  const t = await startTestDoor({ rendererDir: dir });
  current = t;
  return t;
}

describe('HTTP door: the media and static cases both doors answer alike', () => {
  let world: MediaWorld;
  beforeAll(async () => { world = await openMediaWorld(); });
  afterAll(() => world.close());
  const startOnWorld = async (media = world.media) => {
    const tokens = createTokenIssuer();
    const t = await startTestDoor({ tokens, http: { rendererDir: world.rendererDir, media, tokens } });
    current = t;
    return t;
  };

  it.each(DOOR_CASES)('$name: $status', async (c) => {
    const t = await startOnWorld();
    // The HTTP door wants the token for media (app:// is the app's own origin and does not).
    const withToken = c.path.startsWith('/media/') ? `${c.path}${c.path.includes('?') ? '&' : '?'}token=${t.token}` : c.path;
    const got = await askHttpDoor(t.door.port, withToken, c.method, c.headers);
    expectDoorAnswer(c, got);
    expect(got.headers['content-security-policy']).toBe(contentSecurityPolicy(t.door.port));
  });

  it('streams a video as the client reads it, and lets the source go when the client leaves', async () => {
    const video = endlessVideo();
    const t = await startOnWorld(video.media);
    const req = http.get({ host: '127.0.0.1', port: t.door.port, path: `/media/big?token=${t.token}` });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    expect(res.statusCode).toBe(200);
    res.pause();
    // The client reads nothing: the source stops after what the socket and stream buffers hold.
    expect(await settled(video.produced)).toBeLessThan(32 * 1024 * 1024);
    req.destroy();
    await until(video.destroyed, 'the source is destroyed once the client has gone');
  });

  it('a hostile upstream\'s headers never reach the app\'s origin: only a media type, lengths, ranges and our own headers', async () => {
    const t = await startOnWorld();
    const res = await rawGet(t.door.port, `/media/hostile?variant=video&token=${t.token}`);
    const leaked = HOSTILE_HEADER_NAMES.filter((name) => res.headers[name] !== undefined).map((name) => `${name}: ${String(res.headers[name])}`);
    expect(leaked).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^video\//);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a symlink in the UI folder that leads out of it is refused like a missing file', async () => {
    const t = await startOnWorld();
    for (const p of ['/assets/leak.txt', '/up/outside-secret.txt']) {
      const res = await rawGet(t.door.port, p);
      expect(res.body, p).not.toContain(OUTSIDE_SECRET);
      expect(res.status, p).toBe(404);
    }
  });
});
