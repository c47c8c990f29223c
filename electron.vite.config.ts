// electron-vite: main (ESM, like the package), preload (CommonJS: a sandboxed preload cannot be an
// ES module) and the renderer (relative asset paths, so the same build works under app://soradesk/
// and under `npm run serve` at http://127.0.0.1:N/).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
/** `@shared/...` is the contract shared by every end (tsconfig.base.json `paths` says the same to tsc and tsx). */
const resolveShared = { alias: { '@shared': resolve(root, 'shared') } };

export default defineConfig({
  main: {
    resolve: resolveShared,
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    resolve: resolveShared,
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything into one file: a sandboxed preload can only require('electron').
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    resolve: resolveShared,
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
