import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from './auth';
import { MEDIA_BYTES, rawGet, startTestDoor, type TestDoor } from './door-test-client';
import { HOSTILE_HEADER_NAMES, openMediaWorld, OUTSIDE_SECRET, type MediaWorld } from './media-door-test-support';

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

  it('serves assets with their content type and falls back to index.html for UI routes', async () => {
    const t = await startWith(rendererDir);
    const js = await rawGet(t.door.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app")');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    const route = await rawGet(t.door.port, '/tasks/abc');
    expect(route.status).toBe(200);
    expect(route.body).toContain('SoraDesk UI');
    expect((await rawGet(t.door.port, '/assets/missing.js')).status).toBe(404);
  });

  it.each([
    '/../outside-secret.txt',
    '/..%2foutside-secret.txt',
    '/%2e%2e/outside-secret.txt',
    '/assets/..%2f..%2foutside-secret.txt',
    '/..%5coutside-secret.txt',
  ])('never serves a file outside the renderer dir (%s)', async (p) => {
    const t = await startWith(rendererDir);
    const res = await rawGet(t.door.port, p);
    expect(res.body).not.toContain('OUTSIDE-SECRET');
    expect(res.status).toBe(404);
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

  it('streams the whole file with a query token', async () => {
    const t = await startWith(null);
    const res = await rawGet(t.door.port, `/media/vid-1?variant=video&token=${t.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toBe(MEDIA_BYTES.toString());
    expect(res.headers['content-type']).toBe('video/mp4');
    // The source tried to loosen the CSP; the door's own policy wins.
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('passes Range through: 206 with Content-Range (Bearer token)', async () => {
    const t = await startWith(null);
    const res = await rawGet(t.door.port, '/media/vid-1?variant=video', { Authorization: `Bearer ${t.token}`, Range: 'bytes=2-5' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 2-5/10');
    expect(res.body).toBe('2345');
  });

  it('answers 404 for an unknown video and 400 for an unknown variant', async () => {
    const t = await startWith(null);
    expect((await rawGet(t.door.port, `/media/nope?token=${t.token}`)).status).toBe(404);
    expect((await rawGet(t.door.port, `/media/vid-1?variant=poster&token=${t.token}`)).status).toBe(400);
  });

  it('answers 502 with the reason when the upstream fails, 500 without details for a bug', async () => {
    const t = await startWith(null);
    const down = await rawGet(t.door.port, `/media/vid-upstream-down?token=${t.token}`);
    expect(down.status).toBe(502);
    expect(down.body).toContain('upstream answered 503');
    const bug = await rawGet(t.door.port, `/media/vid-bug?token=${t.token}`);
    expect(bug.status).toBe(500);
    expect(bug.body).not.toContain('media source bug');
  });
});

async function startWith(dir: string | null): Promise<TestDoor> {
  const t = await startTestDoor({ rendererDir: dir });
  current = t;
  return t;
}

describe('HTTP door: attacks from the review (issue 12)', () => {
  let world: MediaWorld;
  beforeAll(async () => { world = await openMediaWorld(); });
  afterAll(() => world.close());
  const startOnWorld = async () => {
    const tokens = createTokenIssuer();
    const t = await startTestDoor({ tokens, http: { rendererDir: world.rendererDir, media: world.media, tokens } });
    current = t;
    return t;
  };

  it.fails('a hostile upstream\'s headers never reach the app\'s origin: only a media type, lengths, ranges and our own headers', async () => {
    const t = await startOnWorld();
    const res = await rawGet(t.door.port, `/media/hostile?variant=video&token=${t.token}`);
    const leaked = HOSTILE_HEADER_NAMES.filter((name) => res.headers[name] !== undefined).map((name) => `${name}: ${String(res.headers[name])}`);
    expect(leaked).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^video\//);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.fails('a symlink in the UI folder that leads out of it is refused like a missing file', async () => {
    const t = await startOnWorld();
    for (const p of ['/assets/leak.txt', '/up/outside-secret.txt']) {
      const res = await rawGet(t.door.port, p);
      expect(res.body, p).not.toContain(OUTSIDE_SECRET);
      expect(res.status, p).toBe(404);
    }
  });
});
