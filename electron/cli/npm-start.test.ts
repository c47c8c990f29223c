// `npm start` on a fresh clone: the real npm, the real start script and Electron's own installer, in a
// temp copy of the project whose node_modules/electron has no binary yet (the project's own copy is
// never written to). The download goes to a closed port on 127.0.0.1, as it would fail offline.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../..');
let fresh: string;

/** A project whose node_modules is the real one, except a pristine copy of the electron package. */
function freshClone(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-start-'));
  fs.copyFileSync(path.join(projectRoot, 'package.json'), path.join(dir, 'package.json'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(projectRoot, 'scripts/start.mjs'), path.join(dir, 'scripts/start.mjs'));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(projectRoot, 'node_modules'))) {
    if (entry === 'electron' || entry === '.bin') continue;
    fs.symlinkSync(path.join(projectRoot, 'node_modules', entry), path.join(modules, entry));
  }
  fs.cpSync(path.join(projectRoot, 'node_modules/electron'), path.join(modules, 'electron'), {
    recursive: true,
    filter: (src) => !/[\\/]electron[\\/](dist|path\.txt)$/.test(src),
  });
  return dir;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function npmStart(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['start'], { cwd, env: { ...env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The environment of a user's shell, minus anything that would point Electron elsewhere. */
function userEnv(over: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(ELECTRON_|electron_|npm_)/.test(k) || k === 'DISPLAY' || k === 'WAYLAND_DISPLAY') delete env[k];
  return { ...env, ...over };
}

beforeAll(() => {
  fresh = freshClone();
});
afterAll(() => {
  fs.rmSync(fresh, { recursive: true, force: true });
});

describe('npm start on a fresh clone', () => {
  it('runs Electron\'s installer, and when the download is unreachable prints one paragraph naming npm run serve and exits 1, no stack', async () => {
    const port = await closedPort();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-electron-cache-'));
    try {
      const { code, stdout, stderr } = await npmStart(fresh, userEnv({ DISPLAY: ':99', ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache }));
      expect(code).toBe(1);
      // It did try: the installer ran against the mirror.
      expect(stdout).toContain('Electron 45.5.0 is not installed yet: downloading it once');
      const paragraph = stderr.trim();
      expect(paragraph).toContain(`Electron's binary could not be downloaded from http://127.0.0.1:${port}/`);
      expect(paragraph).toContain('npm run build && npm run serve');
      expect(paragraph.split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stderr).not.toContain('Electron uninstall');
      expect(fs.existsSync(path.join(fresh, 'node_modules/electron/path.txt'))).toBe(false);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(process.platform !== 'linux')('without a display says so before downloading anything, naming npm run serve, and exits 1', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await npmStart(fresh, userEnv({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` }));
    expect(code).toBe(1);
    expect(stdout).not.toContain('downloading');
    expect(stderr.trim()).toMatch(/^SoraDesk's desktop app cannot start here: it needs a graphical desktop session.*npm run serve/);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
