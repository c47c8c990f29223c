// The one window, locked down per Electron's security checklist: isolated, sandboxed, no Node, no
// navigation or redirect away, no new windows, no permissions, devtools only in development.
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import type { Logger } from '../core/log';
import { isAppUrl } from './app-origin';
import { createLinkOpener } from './external-links';

/** Hands a link to the OS browser when external-links.ts allows it; logs it otherwise. */
export type LinkOpener = (url: string) => void;

/** The one call to shell.openExternal; only createLinkOpener's allowed links reach it (external-links.ts). */
export const openInBrowser = (url: string): Promise<void> => shell.openExternal(url);

/** Until the core runs, only the project's own pages may open. */
export function projectPagesOnly(logger: Logger): LinkOpener {
  return createLinkOpener({ providerHosts: async () => [], open: openInBrowser, logger });
}

/** Denies every permission (camera, notifications from web APIs, geolocation...): the UI needs none. */
export function denyAllPermissions(logger: Logger): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  s.setPermissionCheckHandler(() => false);
}

/**
 * Guards for any web contents: no navigation (the app is one page; links to the web open in the
 * browser), and window.open is denied; a link goes to `openLink`, which opens only the allowed ones.
 */
export function guardWebContents(contents: WebContents, logger: Logger, devOrigin: string | null, openLink: LinkOpener = projectPagesOnly(logger)): void {
  // The UI is one page (hash routing never fires will-navigate), so every navigation is refused;
  // a link is offered to the OS browser instead (external-links.ts decides).
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (isAppUrl(url, devOrigin)) logger.warn('navigation blocked', { url: url.slice(0, 200) });
    else openLink(url);
  });
  // A redirect is a navigation too: only the app's own page may be the target (the initial load).
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url, devOrigin)) return;
    event.preventDefault();
    logger.warn('redirect blocked', { url: url.slice(0, 200) });
  });
  contents.setWindowOpenHandler(({ url }) => {
    openLink(url);
    return { action: 'deny' };
  });
}

export interface MainWindowOptions {
  preloadPath: string;
  startUrl: string;
  iconPath?: string;
  /** Development only: open devtools, and allow the dev server's origin. */
  isDev: boolean;
  devOrigin: string | null;
  logger: Logger;
  version: string;
  /** Where links go (default: the project's pages only). */
  openLink?: LinkOpener;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'SoraDesk',
    backgroundColor: '#111318',
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    // Written out here (not built elsewhere) so the static security scan can read every flag.
    webPreferences: {
      preload: opts.preloadPath,
      // The sandboxed preload has no app API; it reads the version from its argv.
      additionalArguments: [`--soradesk-version=${opts.version}`],
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Off in packaged builds: Electron's default menu would otherwise open them with Ctrl+Shift+I.
      devTools: opts.isDev,
      // Middle-click would open links in a new window past the window.open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  guardWebContents(win.webContents, opts.logger, opts.devOrigin, opts.openLink);
  win.once('ready-to-show', () => win.show());
  if (opts.isDev) win.webContents.openDevTools({ mode: 'detach' });
  void win.loadURL(opts.startUrl).catch((err: unknown) => opts.logger.error('could not load the UI', { err }));
  return win;
}

/** Brings the window to the front (second launch, notification click, tray "Show"). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
