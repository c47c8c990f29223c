// Preloaded into @doyensec/electronegativity by scripts/electronegativity-gate.mjs (`--import`). The
// tool (1.10.3, CommonJS) requires 'commander' without declaring it, relying on commander 5, which its
// dependency @electron/asar brings and npm used to hoist to the top. The project's own commander (14,
// for the `soradesk` command) sits there now, so the tool's require('commander') gets asar's copy.
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const projectRequire = createRequire(import.meta.url);
const tool = path.dirname(projectRequire.resolve('@doyensec/electronegativity/package.json'));
const asar = path.dirname(projectRequire.resolve('@electron/asar/package.json', { paths: [tool] }));
const commanderForTool = projectRequire.resolve('commander', { paths: [asar] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(tool + path.sep)) return commanderForTool;
  return resolve.call(this, request, parent, ...rest);
};
