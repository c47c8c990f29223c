// `npm run serve` when something is in the way: each cause gets one line with the fix and its own exit
// code (README "Exit codes"). Real processes, a real occupied port, real read-only and full file systems
// (tmpfs mounts, where this user may mount), a real broken D-Bus for the keychain.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterTest, tempDirForTest } from '../core/test-support/after-test';
import { ApiClient } from '../core/test-support/api-client';
import { spawnServe, type ServeProcess } from './test-support/serve-process';
import { canMount, tmpfs } from './test-support/tmpfs';
import { EXIT_CODES } from './serve-startup';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const tempDir = () => tempDirForTest('soradesk-startup-');

function serve(dataDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, cwd?: string): ServeProcess {
  const p = spawnServe(dataDir, ['--secret-store', 'memory', ...args], env, cwd);
  afterTest(() => p.stop());
  return p;
}

/** The last line it printed: the one a user reads. */
const lastLine = (p: ServeProcess) => p.output().trim().split('\n').at(-1) ?? '';

describe('npm run serve start-up checks', () => {
  it('a port in use: one line naming the port and --port, exit 4, no raw EADDRINUSE', async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    afterTest(() => squatter.close());
    const port = (squatter.address() as net.AddressInfo).port;
    const dataDir = tempDir();
    const p = serve(dataDir, ['--port', String(port)]);
    expect((await p.exited).code).toBe(EXIT_CODES.portInUse);
    expect(lastLine(p)).toBe(`SoraDesk could not start: port ${port} on 127.0.0.1 is already in use by another program. Stop that program, or choose another port with --port N (--port 0 picks a free one).`);
    expect(p.output()).not.toContain('EADDRINUSE');
    // The log file keeps the error itself, for a bug report.
    const log = fs.readFileSync(path.join(dataDir, 'logs', 'soradesk.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log).toContainEqual(expect.objectContaining({ level: 'error', msg: 'could not start', exitCode: 4, err: expect.objectContaining({ code: 'EADDRINUSE' }) }));
    expect(fs.existsSync(path.join(dataDir, 'soradesk.lock'))).toBe(false);
  }, 60_000);

  it('a data dir that cannot be a folder (under a file): one line, exit 5', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    const p = serve(path.join(file, 'data'));
    expect((await p.exited).code).toBe(EXIT_CODES.dataDirNotWritable);
    expect(lastLine(p)).toMatch(/^SoraDesk could not start: the data directory .*a-file\/data cannot be written \(ENOTDIR\)\. Fix its permissions, or choose a writable folder with --data-dir DIR\.$/);
  }, 60_000);

  it.skipIf(!canMount)('a read-only data dir: one line, exit 5', async () => {
    const ro = tmpfs('ro,size=64k')!;
    const p = serve(ro);
    expect((await p.exited).code).toBe(EXIT_CODES.dataDirNotWritable);
    expect(lastLine(p)).toBe(`SoraDesk could not start: the data directory ${ro} cannot be written (EROFS: a read-only file system). Fix its permissions, or choose a writable folder with --data-dir DIR.`);
  }, 60_000);

  it.skipIf(!canMount)('a full disk: one line, exit 6', async () => {
    const small = tmpfs('size=64k')!;
    const filler = fs.openSync(path.join(small, 'filler'), 'w');
    try {
      for (;;) fs.writeSync(filler, Buffer.alloc(4096, 1));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(filler);
    }
    const p = serve(small);
    expect((await p.exited).code).toBe(EXIT_CODES.diskFull);
    expect(lastLine(p)).toBe(`SoraDesk could not start: the disk holding the data directory ${small} is full (ENOSPC). Free some space, or choose a folder on another disk with --data-dir DIR.`);
  }, 60_000);

  it('an unbuilt UI: one line naming npm run build and --no-ui, exit 7; with --no-ui the API runs', async () => {
    // A copy of the project's sources without out/ (a fresh clone before `npm run build`).
    const clone = tempDir();
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json', 'vite.serve.config.ts']) fs.copyFileSync(path.join(projectRoot, f), path.join(clone, f));
    for (const d of ['electron', 'shared', 'resources', 'scripts']) fs.cpSync(path.join(projectRoot, d), path.join(clone, d), { recursive: true });
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'));
    const p = serve(tempDir(), [], {}, clone);
    expect((await p.exited).code).toBe(EXIT_CODES.uiNotBuilt);
    expect(lastLine(p)).toBe(`SoraDesk could not start: the UI is not built (${path.join(clone, 'out/renderer/index.html')} is missing). Run \`npm run build\` first, or add --no-ui to run only the WebSocket API.`);

    const apiOnly = serve(tempDir(), ['--no-ui'], {}, clone);
    const info = await apiOnly.ready();
    const page = await fetch(info.httpUrl);
    expect(await page.text()).toMatch(/not built/i);
    const client = await ApiClient.connect(info.wsUrl, info.token);
    expect((await client.request('ping')).type).toBe('pong');
    await client.close();
  }, 90_000);

  it.skipIf(process.platform !== 'linux')('an unreachable keychain: one line on the console, one in the log, and a notice to a UI client that connects later', async () => {
    const dataDir = tempDir();
    const p = spawnServe(dataDir, ['--secret-store', 'keychain'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/soradesk-test-bus' });
    afterTest(() => p.stop());
    const info = await p.ready();
    await expect.poll(() => p.output()).toContain('(secret store: keychain, UNAVAILABLE)');
    const consoleLines = p.output().split('\n').filter((l) => l.startsWith('Error: The system keychain cannot be reached'));
    expect(consoleLines).toHaveLength(1);
    expect(consoleLines[0]).toContain('gnome-keyring or KWallet');
    const logLines = fs.readFileSync(path.join(dataDir, 'logs', 'soradesk.log'), 'utf8').split('\n').filter((l) => l.includes('KEYCHAIN_UNAVAILABLE')).map((l) => JSON.parse(l));
    expect(logLines).toEqual([expect.objectContaining({ level: 'error', code: 'KEYCHAIN_UNAVAILABLE', msg: expect.stringContaining('The system keychain cannot be reached') })]);

    // A UI that connects later still hears it, as soon as it is authenticated.
    const ui = await ApiClient.connect(info.wsUrl);
    const notice = ui.waitFor((m) => m.type === 'notice');
    await ui.request('auth', { token: info.token });
    expect((await notice).payload).toMatchObject({ level: 'error', code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('--secret-store memory') });
    await ui.close();
  }, 60_000);
});
