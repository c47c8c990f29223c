#!/usr/bin/env node
// The `soradesk` command (package.json `bin`; `npm run cli -- ...`): electron/cli/soradesk.ts, from any folder.
// Runs the TypeScript through tsx, as `npm run serve` does today; to run built JavaScript once the serve
// entry has its own build (see README "The soradesk command").
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `npm run cli` runs in the project root; relative paths (--out, --image, --data-dir) mean the user's folder.
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
// The project's tsconfig (its `@shared/` alias), whatever the current folder is.
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import(pathToFileURL(path.join(root, 'electron/cli/soradesk.ts')).href);
