// `npm run serve`: runs the built service (out/serve/serve.js), so nothing is compiled at start.
// When that file is missing, or older than any source it is built from (after a pull or an edit), it is
// built first (vite.serve.config.ts, about a second), saying so on stderr. The UI is `npm run build`'s
// business: without it the page at / says the UI is not built yet.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'out/serve/serve.js');
const SOURCE_DIRS = ['electron/core', 'electron/cli', 'shared'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.base.json', 'vite.serve.config.ts'];

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

const why = whyBuild();
if (why) {
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
  fs.renameSync(path.join(outDir, 'serve.js'), bundle);
  fs.rmSync(outDir, { recursive: true, force: true });
}

await import(pathToFileURL(bundle).href);
