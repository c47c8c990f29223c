// `npm run serve`'s entry, built: electron/cli/serve.ts -> out/serve/serve.cjs, one CommonJS file for
// plain Node, so the service starts without compiling TypeScript (scripts/built-entry.mjs builds it first
// when it is missing or older than its sources, and runs it with a V8 code cache, which needs a script, not
// an ES module). `--mode cli` builds the `soradesk` command the same way: electron/cli/soradesk.ts ->
// out/cli/soradesk.cjs (its own service, for when none runs, is a chunk it loads only then).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

const ENTRIES = {
  serve: { source: 'electron/cli/serve.ts', outDir: 'out/serve', file: 'serve.cjs' },
  cli: { source: 'electron/cli/soradesk.ts', outDir: 'out/cli', file: 'soradesk.cjs' },
};

export default defineConfig(({ mode }) => {
  const entry = mode === 'cli' ? ENTRIES.cli : ENTRIES.serve;
  return {
    root,
    // `@shared/...` as in electron.vite.config.ts and tsconfig.base.json.
    resolve: { alias: { '@shared': resolve(root, 'shared') } },
    plugins: [
      {
        // axios's fetch adapter is built at import and makes Node load its fetch: see the stand-in.
        name: 'axios-without-fetch-adapter',
        enforce: 'pre',
        resolveId: (source, importer) =>
          source === './fetch.js' && importer?.replaceAll('\\', '/').endsWith('node_modules/axios/lib/adapters/adapters.js')
            ? resolve(root, 'scripts/serve-build/axios-no-fetch.js')
            : null,
      },
    ],
    logLevel: 'warn',
    // The dependencies go into the one file too: loading hundreds of small files from node_modules at
    // every start costs more than the service's own start. The keychain's native addon stays outside, and
    // so do ws's optional native speed-ups (it runs without them).
    ssr: { noExternal: true, external: ['@napi-rs/keyring', 'bufferutil', 'utf-8-validate'] },
    build: {
      ssr: resolve(root, entry.source),
      outDir: resolve(root, entry.outDir),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: entry.file } },
    },
  };
});
