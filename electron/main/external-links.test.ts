// Attack-review note: shell.openExternal took any https URL the renderer navigated to or window.open'ed,
// so a link in an upstream's text or a compromised renderer could send the user to any site from the app.
// Only the providers' hosts and the project's own pages are opened; everything else is refused and logged.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createLogger } from '../core/log';
import { createLinkOpener, PROJECT_PAGES } from './external-links';
import { createMainWindow } from './window';
import { FakeBrowserWindow, fakeElectron, resetFakes } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

const lines: string[] = [];
const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
const open = (providerHosts: string[] = []) => createMainWindow({
  preloadPath: '/app/out/preload/index.cjs', startUrl: 'app://soradesk/index.html', isDev: false, devOrigin: null,
  logger, version: '1.2.3',
  openLink: createLinkOpener({ providerHosts: async () => providerHosts, open: (url) => fakeElectron.shell.openExternal(url), logger }),
}) as unknown as FakeBrowserWindow;

beforeEach(() => {
  resetFakes();
  fakeElectron.shell.opened.length = 0;
  lines.length = 0;
});

describe('links leaving the app', () => {
  it('an https link to any other site is refused and logged, by navigation and by window.open', async () => {
    const wc = open().webContents;
    wc.navigate('https://evil.example/phish');
    wc.windowOpenHandler!({ url: 'https://tracker.example/?id=1' });
    await vi.waitFor(() => expect(lines.join('\n')).toContain('tracker.example'));
    expect(fakeElectron.shell.opened).toEqual([]);
    expect(lines.join('\n')).toContain('evil.example');
  });

  it('opens https pages of a provider\'s host and the project\'s pages, nothing that only looks like them', async () => {
    const wc = open(['relay.example.test']).webContents;
    const allowed = ['https://relay.example.test/keys', 'https://github.com/soradesk/soradesk', 'https://github.com/soradesk/soradesk/releases/tag/v1.2.0'];
    const refused = [
      'http://relay.example.test/keys', 'https://relay.example.test.evil.example/', 'https://user:pw@relay.example.test/',
      'https://github.com/soradesk/soradesk-evil', 'https://github.com/other/repo', 'https://soradesk.github.io/',
      'file:///etc/passwd', 'javascript:alert(1)',
    ];
    for (const url of [...allowed, ...refused]) wc.windowOpenHandler!({ url });
    await vi.waitFor(() => expect(lines.filter((l) => l.includes('external link refused'))).toHaveLength(refused.length));
    expect(fakeElectron.shell.opened).toEqual(allowed);
  });

  it('the project pages are the repository electron-builder.yml publishes to', () => {
    const builder = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')) as { publish: { owner: string; repo: string } };
    expect(PROJECT_PAGES).toEqual([`https://github.com/${builder.publish.owner}/${builder.publish.repo}`]);
  });
});
