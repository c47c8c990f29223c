// Runs one of the project's Node entries as built JavaScript (`npm run serve`: out/serve/serve.cjs; the
// `soradesk` command: out/cli/soradesk.cjs), so nothing is compiled at start. When the file is missing, or
// older than any source it is built from (after a pull or an edit), it is built first (vite.serve.config.ts,
// about a second), saying so on stderr. `npm run build` builds both.
// V8's compiled code for the bundle is kept beside it (`.cache`, as Node 22's compile cache would): a
// start then skips compiling its 1.4 MB. A stale or foreign cache is refused by V8 and made anew.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['electron/core', 'electron/cli', 'shared'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.base.json', 'vite.serve.config.ts', 'scripts/serve-build/axios-no-fetch.js'];

/** The newest modification time among the bundle's sources (tests excluded: they are not in it). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(p);
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) visit(path.join(root, d));
  for (const f of SOURCE_FILES) newest = Math.max(newest, fs.statSync(path.join(root, f), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

function whyBuild(bundle) {
  const built = fs.statSync(bundle, { throwIfNoEntry: false });
  if (!built) return 'it is not built yet';
  if (built.mtimeMs < newestSource()) return 'its sources changed since it was built';
  return null;
}

function build(what, bundle, mode, why) {
  const args = ['build', '-c', 'vite.serve.config.ts', '--mode', mode];
  process.stderr.write(`Building ${what} first (${why}): vite ${args.join(' ')}\n`);
  // Into a folder of its own, then each file renamed into place, the entry last (its chunks are there
  // before it): two starts building at once cannot mix.
  const outDir = path.join(root, `out/build-${mode}-${process.pid}`);
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const built = spawnSync(process.execPath, [vite, ...args, '--outDir', outDir], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write(`SoraDesk could not start: building ${what} failed (see above).\n`);
    process.exit(1);
  }
  const files = fs.readdirSync(outDir, { recursive: true }).filter((f) => fs.statSync(path.join(outDir, f)).isFile());
  files.sort((a, b) => Number(a === path.basename(bundle)) - Number(b === path.basename(bundle)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(path.dirname(bundle), f)), { recursive: true });
    fs.renameSync(path.join(outDir, f), path.join(path.dirname(bundle), f));
  }
  fs.rmSync(outDir, { recursive: true, force: true });
}

/** Runs the CommonJS bundle as `node file.cjs` would, compiled from the code cache when V8 accepts it. */
function run(bundle) {
  const codeCache = `${bundle}.cache`;
  const cachedData = fs.existsSync(codeCache) ? fs.readFileSync(codeCache) : undefined;
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  if (cachedData && !script.cachedDataRejected) return;
  // Made a moment into the start, so it holds what a start compiles, or at exit when that comes first
  // (a command, a test, a bench).
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    try {
      const tmp = `${codeCache}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, codeCache);
    } catch {
      // A read-only checkout: every start compiles, nothing worse.
    }
  };
  setTimeout(save, 500).unref();
  process.once('exit', save);
}

/**
 * Builds `bundle` (a path under the project; vite.serve.config.ts in `mode`) when it is missing or stale,
 * then runs it. `what` names it in the message a build prints.
 */
export function runBuilt({ what, bundle, mode }) {
  const file = path.join(root, bundle);
  const why = whyBuild(file);
  if (why) build(what, file, mode, why);
  run(file);
}
