// The boundary rules of eslint.config.js, each proven to fail when broken: a fixture from
// lint/fixtures/ is linted with the project's own config as if it sat at the path where the rule
// applies (the fixtures folder itself is ignored by `npm run lint`).
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The messages of the fixture's lint run, as `rule: message` lines. */
async function lintAs(fixture: string, filePath: string): Promise<string[]> {
  const code = fs.readFileSync(path.join(root, 'lint/fixtures', fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import boundaries', () => {
  it('the renderer may not import the core nor Node', async () => {
    expect(await lintAs('renderer-imports-core.ts', 'renderer/src/state/imports-core.ts')).toEqual([
      'soradesk/import-boundaries: renderer/ runs without Node: "node:fs" is a Node module.',
      'soradesk/import-boundaries: renderer/ may import only from renderer/ and shared/; "../../../electron/core/core" is electron/core.',
    ]);
  });

  it('the renderer may not load zod at run time; types from the schemas are fine', async () => {
    expect(await lintAs('renderer-loads-zod.ts', 'renderer/src/state/loads-zod.ts')).toEqual([
      expect.stringMatching(/^soradesk\/import-boundaries: renderer\/ may take only types from "@shared\/contract\/messages" \(import type\)/),
      'soradesk/import-boundaries: renderer/ may not import the package "zod".',
    ]);
  });

  it('the renderer may not use the Node WebSocket package', async () => {
    expect(await lintAs('renderer-imports-ws.ts', 'renderer/src/backend/node-socket.ts')).toEqual([
      'soradesk/import-boundaries: renderer/ may not import the package "ws".',
    ]);
  });

  it('the preload may import only electron and shared/', async () => {
    expect(await lintAs('preload-imports-core.ts', 'electron/preload/uses-core.ts')).toEqual([
      'soradesk/import-boundaries: electron/preload/ may import only from electron/preload/ and shared/; "../core/core" is electron/core.',
    ]);
  });

  it('the core may not import Electron', async () => {
    expect(await lintAs('core-imports-electron.ts', 'electron/core/uses-electron.ts')).toEqual([
      'soradesk/import-boundaries: electron/core/ may not import the package "electron".',
    ]);
  });

  it('code that ships may not import a test helper', async () => {
    expect(await lintAs('runtime-imports-test-helper.ts', 'electron/core/tasks/uses-harness.ts')).toEqual([
      'soradesk/no-test-helper-import: runtime code may not import the test helper "./test-support/service-harness".',
    ]);
  });

  it('passes what each area may import, and lets tests use Node and test helpers', async () => {
    expect(await lintAs('renderer-within-bounds.ts', 'renderer/src/state/within-bounds.ts')).toEqual([]);
    expect(await lintAs('renderer-test-with-node.ts', 'renderer/src/state/with-node.test.ts')).toEqual([]);
  });
});
