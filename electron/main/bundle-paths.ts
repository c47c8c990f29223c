// Where the built app's files are, relative to the main bundle (out/main/index.js). The same layout holds
// under `npm start` (electron-vite preview) and inside app.asar, where `files` packs out/** and resources/**.
import { fileURLToPath } from 'node:url';
import type { ShellPaths } from './shell';

export function bundlePaths(mainBundleUrl: string): ShellPaths {
  const fromHere = (rel: string) => fileURLToPath(new URL(rel, mainBundleUrl));
  return {
    preload: fromHere('../preload/index.cjs'),
    rendererDir: fromHere('../renderer'),
    windowIcon: fromHere('../../resources/icons/icon.png'),
    trayIcon: fromHere('../../resources/icons/tray.png'),
    // The core's own default is relative to its source file, which the bundle no longer is.
    demoDir: fromHere('../../resources/demo'),
  };
}
