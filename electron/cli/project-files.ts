// Where the project's files are, for the entries that run from it (`npm run serve`, `soradesk`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, the built UI, the version for diagnostics and `--version`. */
export function projectFiles(): { root: string; rendererDir: string; version: string } {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { root, rendererDir: path.join(root, 'out/renderer'), version };
}
