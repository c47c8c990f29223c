#!/usr/bin/env node
// `npm start`: the desktop app from source. Electron 45 has no install script: its binary is fetched on
// first use by Electron's own installer, while electron-vite only looks for node_modules/electron/path.txt
// and fails with "Electron uninstall". So this makes sure the binary is there (running that installer
// once), then hands over to `electron-vite preview` (or `dev`). Where the desktop app cannot start (no display, the
// download unreachable), it says so in one paragraph that points to `npm run serve`, and exits 1.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));
/** A download of ~100 MB on a slow link takes minutes; one that never answers must still end. */
const INSTALL_LIMIT_MS = 15 * 60_000;

const BROWSER_INSTEAD =
  'You can run the same app in your browser instead: `npm run build && npm run serve`, then open the ' +
  'link it prints (see "Run it from source" in README.md).';

/** One paragraph on stderr, then exit 1: what went wrong, what to do. No stack. */
function giveUp(reason) {
  process.stderr.write(`\nSoraDesk's desktop app cannot start here: ${reason} ${BROWSER_INSTEAD}\n\n`);
  process.exit(1);
}

/** The Electron executable as electron-vite finds it (path.txt under node_modules/electron), if installed. */
function installedElectron(electronDir) {
  if (process.env.ELECTRON_EXEC_PATH) return process.env.ELECTRON_EXEC_PATH;
  let relative;
  try {
    relative = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  const full = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist'), relative);
  return relative && fs.existsSync(full) ? full : null;
}

/** The installer's own error, reduced to its first line (it prints a whole stack). */
function firstErrorLine(stderr) {
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
  return line ? line.replace(/^[A-Za-z]*Error:\s*/, '') : 'the installer failed without saying why';
}

function ensureElectron() {
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  if (installedElectron(electronDir)) return;
  const { version } = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8'));
  process.stdout.write(`Electron ${version} is not installed yet: downloading it once (about 100 MB)...\n`);
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: INSTALL_LIMIT_MS,
  });
  if (result.status === 0 && installedElectron(electronDir)) return;
  const why = result.error ? result.error.message : firstErrorLine(result.stderr ?? '');
  const from = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'github.com';
  giveUp(
    `Electron's binary could not be downloaded from ${from} (${why}). Check your internet connection (behind a proxy or ` +
      'firewall, set ELECTRON_MIRROR or ELECTRON_GET_USE_PROXY) and run `npm start` again.',
  );
}

function ensureDisplay() {
  if (!['linux', 'freebsd', 'openbsd'].includes(process.platform)) return;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return;
  giveUp('it needs a graphical desktop session, and this one has none (DISPLAY and WAYLAND_DISPLAY are not set).');
}

/** `npm start` previews the built app; `npm run dev` (first argument `--dev`) runs it with hot reload. */
function runElectronVite(args) {
  const [command, rest] = args[0] === '--dev' ? ['dev', args.slice(1)] : ['preview', args];
  const pkg = JSON.parse(fs.readFileSync(require.resolve('electron-vite/package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
  const cli = path.join(path.dirname(require.resolve('electron-vite/package.json')), bin);
  const child = spawn(process.execPath, [cli, command, ...rest], { cwd: projectRoot, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null) {
      process.stderr.write(`\nThe desktop app exited with code ${code}. If no window opened, ${BROWSER_INSTEAD.replace(/^You can/, 'you can')}\n`);
    }
    process.exit(code ?? 1);
  });
}

ensureDisplay();
ensureElectron();
runElectronVite(process.argv.slice(2));
