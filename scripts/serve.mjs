// `npm run serve`: runs the built service (out/serve/serve.cjs), so nothing is compiled at start.
// When that file is missing, or older than any source it is built from (after a pull or an edit), it is
// built first (vite.serve.config.ts, about a second), saying so on stderr. The UI is `npm run build`'s
// business: without it the page at / says the UI is not built yet.
// V8's compiled code for the bundle is kept beside it (serve.cjs.cache, as Node 22's compile cache
// would): a start then skips compiling its 1.4 MB. A stale or foreign cache is refused by V8 and made anew.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'out/serve/serve.cjs');
const codeCache = `${bundle}.cache`;
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

function whyBuild() {
  const built = fs.statSync(bundle, { throwIfNoEntry: false });
  if (!built) return 'it is not built yet';
  if (built.mtimeMs < newestSource()) return 'its sources changed since it was built';
  return null;
}

function build(why) {
  process.stderr.write(`Building the service first (${why}): vite build -c vite.serve.config.ts\n`);
  // Into a folder of its own, then the file renamed into place: two starts building at once cannot mix.
  const outDir = path.join(root, `out/serve-build-${process.pid}`);
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.serve.config.ts', '--outDir', outDir], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write('SoraDesk could not start: building the service failed (see above).\n');
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  fs.renameSync(path.join(outDir, path.basename(bundle)), bundle);
  fs.rmSync(outDir, { recursive: true, force: true });
}

/** Runs the CommonJS bundle as `node serve.cjs` would, compiled from the code cache when V8 accepts it. */
function run() {
  const cachedData = fs.existsSync(codeCache) ? fs.readFileSync(codeCache) : undefined;
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  if (cachedData && !script.cachedDataRejected) return;
  // Made a moment into the start, so it holds what a start compiles (a start may be short: a test, a bench).
  setTimeout(() => {
    try {
      const tmp = `${codeCache}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, codeCache);
    } catch {
      // A read-only checkout: every start compiles, nothing worse.
    }
  }, 500).unref();
}

const why = whyBuild();
if (why) build(why);
run();
