import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import buildConfig from '../../electron.vite.config';
import { loadSampleMedia } from '../core/providers/simulator/sim-media';
import { bundlePaths } from './bundle-paths';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
// Where `npm start` and the packaged app load main from: package.json "main".
const mainBundle = pathToFileURL(path.resolve(root, pkg.main)).href;
const paths = bundlePaths(mainBundle);

type Section = { build: { outDir: string; rolldownOptions: { output?: { entryFileNames?: string } } } };
const config = buildConfig as unknown as { main: Section; preload: Section; renderer: Section };

describe('paths the built main process uses', () => {
  it('main is the file electron-vite writes, and the preload and renderer are where the build puts them', () => {
    expect(path.resolve(root, pkg.main)).toBe(path.join(config.main.build.outDir, 'index.js'));
    const preloadName = config.preload.build.rolldownOptions.output?.entryFileNames?.replace('[name]', 'index');
    expect(paths.preload).toBe(path.join(config.preload.build.outDir, preloadName ?? 'missing'));
    expect(paths.rendererDir).toBe(config.renderer.build.outDir);
  });

  it('finds the icons and the demo provider sample media from the bundle (the core default would miss them)', async () => {
    expect(fs.existsSync(paths.windowIcon!)).toBe(true);
    expect(fs.existsSync(paths.trayIcon!)).toBe(true);
    const media = await loadSampleMedia(paths.demoDir!);
    expect(media.video.length).toBeGreaterThan(0);
    expect(media.thumbnail.length).toBeGreaterThan(0);
  });
});
