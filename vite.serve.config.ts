// `npm run serve`'s entry, built: electron/cli/serve.ts -> out/serve/serve.cjs, one CommonJS file for
// plain Node, so the service starts without compiling TypeScript (scripts/serve.mjs builds it first when it
// is missing or older than its sources, and runs it with a V8 code cache, which needs a script, not an ES module).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
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
    ssr: resolve(root, 'electron/cli/serve.ts'),
    outDir: resolve(root, 'out/serve'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: { output: { format: 'cjs', entryFileNames: 'serve.cjs' } },
  },
});
