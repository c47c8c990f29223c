#!/usr/bin/env node
// The `soradesk` command (package.json `bin`; `npm run cli -- ...`), from any folder: runs the built
// command (out/cli/soradesk.cjs, from vite.serve.config.ts --mode cli), built first when missing or stale, with a V8
// code cache (built-entry.mjs), so a start compiles no TypeScript.
import { runBuilt } from './built-entry.mjs';

// `npm run cli` runs in the project root; relative paths (--out, --image, --data-dir) mean the user's folder.
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
runBuilt({ what: 'the soradesk command', bundle: 'out/cli/soradesk.cjs', mode: 'cli' });
