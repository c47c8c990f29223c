import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/log';
import { createMainWindow, denyAllPermissions, focusWindow } from './window';
import { FakeBrowserWindow, fakeElectron, resetFakes } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

const open = (isDev = false) => createMainWindow({
  preloadPath: '/app/out/preload/index.cjs', startUrl: 'app://soradesk/index.html', isDev, devOrigin: null, logger: silentLogger, version: '1.2.3',
}) as unknown as FakeBrowserWindow;

beforeEach(() => {
  resetFakes();
  fakeElectron.shell.opened.length = 0;
});

describe('main window', () => {
  it('runs the renderer isolated, sandboxed, without Node, with web security, from app://', () => {
    const win = open();
    expect(win.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      additionalArguments: ['--soradesk-version=1.2.3'],
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
      experimentalFeatures: false, navigateOnDragDrop: false, spellcheck: false, disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(win.webContents.loadedUrl).toBe('app://soradesk/index.html');
    expect(win.webContents.devToolsOpened).toBe(false);
  });

  it('opens devtools only in development; a packaged window cannot open them at all', () => {
    const dev = open(true);
    expect(dev.webContents.devToolsOpened).toBe(true);
    expect(dev.options.webPreferences?.devTools).toBe(true);
    expect(open(false).options.webPreferences?.devTools).toBe(false);
  });

  it('blocks every navigation; an allowed link goes to the OS browser instead (external-links.test.ts)', async () => {
    const wc = open().webContents;
    expect(wc.navigate('https://github.com/soradesk/soradesk')).toBe(true);
    expect(wc.navigate('https://evil.example/phish')).toBe(true);
    expect(wc.navigate('file:///etc/passwd')).toBe(true);
    expect(wc.navigate('app://soradesk/other.html')).toBe(true);
    expect(wc.navigate('javascript:alert(1)')).toBe(true);
    await vi.waitFor(() => expect(fakeElectron.shell.opened).toEqual(['https://github.com/soradesk/soradesk']));
  });

  it('blocks a redirect to anywhere but the app itself', () => {
    const wc = open().webContents;
    expect(wc.redirect('https://evil.example/landing')).toBe(true);
    expect(wc.redirect('file:///etc/passwd')).toBe(true);
    expect(wc.redirect('app://soradesk.evil/index.html')).toBe(true);
    expect(wc.redirect('app://soradesk/index.html')).toBe(false);
    expect(fakeElectron.shell.opened).toEqual([]);
  });

  it('denies window.open; only allowed https links are handed to shell.openExternal', async () => {
    const wc = open().webContents;
    const handler = wc.windowOpenHandler!;
    for (const url of ['https://github.com/soradesk/soradesk/issues', 'https://docs.example/help', 'http://plain.example/', 'file:///C:/Windows/system32/calc.exe',
      'javascript:alert(1)', 'smb://share/x', 'app://soradesk/index.html', 'https://user:pw@host.example/']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    await vi.waitFor(() => expect(fakeElectron.shell.opened).toEqual(['https://github.com/soradesk/soradesk/issues']));
    await new Promise((r) => setTimeout(r, 10));
    expect(fakeElectron.shell.opened).toEqual(['https://github.com/soradesk/soradesk/issues']);
  });

  it('denies every permission request and check', () => {
    denyAllPermissions(silentLogger);
    const s = fakeElectron.session.defaultSession;
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) s.permissionRequestHandler!(null, p, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(s.permissionCheckHandler!(null, 'media')).toBe(false);
  });

  it('brings a minimised window back to the front', () => {
    const win = open();
    win.minimized = true;
    focusWindow(win as never);
    expect([win.restored, win.shown, win.focused]).toEqual([1, 1, 1]);
  });
});
