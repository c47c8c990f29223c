// Signed updates end to end: the real electron-updater (6.8, its NSIS updater: the download code every
// platform shares, minus the installer run) under Node, checking a real update feed on 127.0.0.1 that
// serves latest.yml, the update file and its .sig. Only Electron itself is replaced: the app adapter (no
// Electron app) and the HTTP executor (Node's http instead of Electron's net). Keys are made here.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../core/update-types';
import { createLogger } from '../core/log';
import { createUpdater, type AutoUpdaterLike } from './updater';
import { signUpdateFile } from './update-signature';

const require = createRequire(import.meta.url);
const { NsisUpdater } = require('electron-updater/out/NsisUpdater') as { NsisUpdater: new (options: unknown, app: unknown) => AutoUpdaterLike & Record<string, unknown> };
interface CancellationToken { createPromise<T>(fn: (resolve: (v: T) => void, reject: (e: Error) => void, onCancel: unknown) => void): Promise<T> }
const runtime = require('builder-util-runtime') as {
  HttpExecutor: new () => { doDownload(options: object, task: object, redirects: number): void };
  configureRequestUrl(url: URL, options: object): void;
  configureRequestOptions(options: object): void;
};

/**
 * electron-updater's HTTP executor over Node's http: what its ElectronHttpExecutor does over Electron's
 * net (createRequest, and download into a file through the shared doDownload).
 */
class NodeHttpExecutor extends runtime.HttpExecutor {
  createRequest(options: RequestOptions, callback: (res: IncomingMessage) => void): ClientRequest {
    return http.request(options, callback);
  }
  download(url: URL, destination: string, options: { headers?: object; cancellationToken: CancellationToken }): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers || undefined, redirect: 'manual' };
      runtime.configureRequestUrl(url, requestOptions);
      runtime.configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, {
        destination, options, onCancel, responseHandler: null,
        callback: (error: Error | null) => (error == null ? resolve(destination) : reject(error)),
      }, 0);
    });
  }
}

const key = () => generateKeyPairSync('ed25519');
const pem = (k: ReturnType<typeof key>) => ({
  publicPem: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  privatePem: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const releaseKey = pem(key());
const FILE = 'SoraDesk-Setup-1.1.0-x64.exe';

interface Feed {
  url: string;
  requests: string[];
  /** What the feed serves: path -> bytes (absent: 404). */
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

async function startFeed(): Promise<Feed> {
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    requests.push(p);
    const body = files.get(p);
    if (!body) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests, files,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Publishes `bytes` as release 1.1.0: the file, latest.yml naming its SHA-512, and (optionally) a .sig. */
async function publish(feed: Feed, bytes: Buffer, signature: { privatePem: string; version?: string; of?: Buffer } | null): Promise<void> {
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  feed.files.set(FILE, bytes);
  const info = Buffer.from(
    `version: 1.1.0\nfiles:\n  - url: ${FILE}\n    sha512: ${sha512}\n    size: ${bytes.length}\npath: ${FILE}\nsha512: ${sha512}\nreleaseDate: '2026-01-01T00:00:00.000Z'\n`,
  );
  // The feed's channel file has the name of the system the test runs on (latest-linux.yml here).
  for (const channel of ['latest.yml', 'latest-linux.yml', 'latest-mac.yml']) feed.files.set(channel, info);
  feed.files.delete(`${FILE}.sig`);
  if (!signature) return;
  // Signed as the release workflow does: the file as named in the release, for its version.
  const signed = path.join(dir, 'to-sign', FILE);
  fs.mkdirSync(path.dirname(signed), { recursive: true });
  fs.writeFileSync(signed, signature.of ?? bytes);
  feed.files.set(`${FILE}.sig`, Buffer.from(await signUpdateFile(signed, signature.version ?? '1.1.0', signature.privatePem)));
}

let dir: string;
let feed: Feed;
const logLines: string[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-update-'));
  feed = await startFeed();
  logLines.length = 0;
});
afterEach(async () => {
  await feed.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The app at version 1.0.0 with a real electron-updater pointed at the feed, behind our updater port. */
function installedApp() {
  const config = path.join(dir, 'app-update.yml');
  fs.writeFileSync(config, `provider: generic\nurl: ${feed.url}\nupdaterCacheDirName: soradesk-updater-test\n`);
  const quitHandlers: unknown[] = [];
  const app = {
    version: '1.0.0', name: 'SoraDesk', isPackaged: true, appUpdateConfigPath: config,
    userDataPath: path.join(dir, 'userData'), baseCachePath: path.join(dir, 'cache'),
    whenReady: async () => {}, relaunch: () => {}, quit: () => {}, onQuit: (h: unknown) => quitHandlers.push(h),
  };
  const au = new NsisUpdater(null, app);
  au.httpExecutor = new NodeHttpExecutor();
  au.logger = null;
  au.disableDifferentialDownload = true;
  au.disableWebInstaller = true;
  const updater = createUpdater({
    autoUpdater: au, isOnline: () => true, beforeInstall: async () => {},
    logger: createLogger({ level: 'debug', write: (l) => logLines.push(l) }), publicKeyPem: releaseKey.publicPem,
  });
  const states: UpdateState[] = [];
  updater.onState((s) => states.push(s));
  const settled = async () => {
    await updater.check();
    await vi.waitFor(() => expect(['downloaded', 'error', 'up-to-date']).toContain(updater.getState().state), { timeout: 10_000 });
    return updater.getState();
  };
  const pendingFiles = () => {
    const pending = path.join(app.baseCachePath, 'soradesk-updater-test', 'pending');
    return fs.existsSync(pending) ? fs.readdirSync(pending).filter((f) => f !== 'update-info.json') : [];
  };
  return { au, updater, states, settled, quitHandlers, pendingFiles };
}

describe('signed updates through the real electron-updater', () => {
  it('a release signed with the project key is offered, downloaded and ready to install', async () => {
    await publish(feed, randomBytes(300_000), releaseKey);
    const { settled, states, quitHandlers, pendingFiles, au } = installedApp();
    expect(await settled()).toEqual({ state: 'downloaded', version: '1.1.0' });
    expect(states.map((s) => s.state)).toEqual(expect.arrayContaining(['checking', 'available', 'downloaded']));
    expect(pendingFiles()).toEqual([FILE]);
    expect(au.installerPath).toMatch(new RegExp(`${FILE}$`));
    expect(quitHandlers).toHaveLength(1);
    expect(logLines.join('\n')).toContain('update signature verified');
  });

  it('a tampered file (latest.yml changed to match it) is refused, deleted and never installable', async () => {
    const good = randomBytes(300_000);
    await publish(feed, good, releaseKey);
    const evil = Buffer.from(good);
    evil[1234] ^= 0xff;
    // The attacker controls the release: file and latest.yml agree; only the signature is the old one.
    const sig = feed.files.get(`${FILE}.sig`)!;
    await publish(feed, evil, null);
    feed.files.set(`${FILE}.sig`, sig);
    const { settled, quitHandlers, pendingFiles, au } = installedApp();
    const state = await settled();
    expect(state).toMatchObject({ state: 'error', message: expect.stringMatching(/^Update 1\.1\.0 was not installed: the signature does not match/) });
    expect(feed.requests).toContain(FILE);
    expect(pendingFiles()).toEqual([]);
    expect(au.installerPath).toBeNull();
    expect(quitHandlers).toEqual([]);
    expect(logLines.join('\n')).toMatch(/"level":"error".*update refused/);
  });

  it('an unsigned release is refused before its file is even downloaded', async () => {
    await publish(feed, randomBytes(300_000), null);
    const { settled, pendingFiles, quitHandlers } = installedApp();
    expect(await settled()).toMatchObject({ state: 'error', message: expect.stringMatching(/^Update 1\.1\.0 was not installed: it has no signature/) });
    expect(feed.requests).toContain(`${FILE}.sig`);
    expect(feed.requests).not.toContain(FILE);
    expect([pendingFiles(), quitHandlers]).toEqual([[], []]);
  });

  it('a file signed with another key, or signed for another version, is refused', async () => {
    const bytes = randomBytes(200_000);
    for (const signature of [{ ...pem(key()), version: undefined }, { ...releaseKey, version: '1.0.1' }]) {
      await publish(feed, bytes, signature);
      const { settled, pendingFiles, quitHandlers } = installedApp();
      expect(await settled(), JSON.stringify(signature.version ?? 'other key')).toMatchObject({ state: 'error', message: expect.stringMatching(/was not installed: the signature does not match/) });
      expect([pendingFiles(), quitHandlers]).toEqual([[], []]);
    }
  });

  it('an update found in the cache from an earlier run is checked again: kept when signed, else fetched anew', async () => {
    const bytes = randomBytes(200_000);
    await publish(feed, bytes, releaseKey);
    expect(await installedApp().settled()).toMatchObject({ state: 'downloaded' });
    const fetchedBefore = feed.requests.filter((r) => r === FILE).length;
    // A second run finds the verified file in its cache and does not download it again.
    expect(await installedApp().settled()).toMatchObject({ state: 'downloaded' });
    expect(feed.requests.filter((r) => r === FILE).length).toBe(fetchedBefore);
    // The signature is withdrawn (or never matched what sits in the cache): the cache is not trusted.
    feed.files.set(`${FILE}.sig`, Buffer.from(await signUpdateFile(writeTemp(randomBytes(10)), '1.1.0', releaseKey.privatePem)));
    const third = installedApp();
    expect(await third.settled()).toMatchObject({ state: 'error' });
    expect(third.pendingFiles()).toEqual([]);
    expect(third.quitHandlers).toEqual([]);
  });
});

function writeTemp(bytes: Buffer): string {
  const f = path.join(dir, 'other', FILE);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, bytes);
  return f;
}
