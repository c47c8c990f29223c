// electron-vite: main (ESM, like the package), preload (CommonJS: a sandboxed preload cannot be an
// ES module) and the renderer (relative asset paths, so the same build works under app://soradesk/
// and under `npm run serve` at http://127.0.0.1:N/).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
/** `@shared/...` is the contract shared by every end (tsconfig.base.json `paths` says the same to tsc and tsx). */
const resolveShared = { alias: { '@shared': resolve(root, 'shared') } };

/**
 * The page's entry is the small boot module (renderer/src/boot.ts), which imports the app itself once
 * the link to the core is open. The app's chunks are listed in the page as modulepreload, so the browser
 * fetches and compiles them meanwhile instead of after the boot has run.
 */
function preloadApp(entry: string): Plugin {
  return {
    name: 'soradesk-preload-app',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {});
        const app = chunks.find((c) => c.type === 'chunk' && c.facadeModuleId === entry);
        if (!app || app.type !== 'chunk') return [];
        const files = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          const chunk = ctx.bundle?.[file];
          if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
        };
        visit(app.fileName);
        // The boot chunk is the page's own script already.
        if (ctx.chunk) files.delete(ctx.chunk.fileName);
        return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

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
    plugins: [react(), preloadApp(resolve(root, 'renderer/src/main.tsx'))],
    resolve: resolveShared,
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
