// The desktop app's lifecycle: one instance, a secure window over app://, the core with the keychain and
// electron-store, the IPC door, tray/notifications, the updater, and a quit that flushes the core first.
import { app, dialog, net, powerMonitor, shell, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { Core, CoreDeps } from '../core/core-types';
import type { Logger } from '../core/log';
import type { SecretStore } from '../core/secrets/secret-store';
import type { SettingsBackend } from '../core/settings/settings-backend';
import { installAppMenu } from './app-menu';
import { APP_ORIGIN, APP_START_URL } from './app-origin';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { openShellClient, type ShellClient } from './core-client';
import { logRendererErrors } from './desktop-logging';
import { createDesktopStatus, type DesktopStatus } from './desktop-status';
import { createIpcDoor, type IpcDoor } from './ipc-door';
import { watchTasks, type TaskWatch } from './task-watch';
import { createUpdater, type AutoUpdaterLike } from './updater';
import { createLinkOpener } from './external-links';
import { createMainWindow, denyAllPermissions, focusWindow, guardWebContents, openInBrowser } from './window';

export const APP_USER_MODEL_ID = 'app.soradesk.desktop';

export interface ShellPaths {
  preload: string;
  rendererDir: string;
  windowIcon?: string;
  trayIcon?: string;
  /** The demo provider's sample media (resources/demo). */
  demoDir?: string;
}

export interface ShellDeps {
  createCore(deps: CoreDeps): Core;
  createSecrets(): SecretStore;
  createSettings(userDataDir: string): SettingsBackend;
  /** Called only when packaged (electron-updater reads app-update.yml, which only a build has). */
  loadAutoUpdater(): Promise<AutoUpdaterLike>;
  logger: Logger;
  /** Where the logger writes (Help > Open Logs Folder; default <userData>/logs). */
  logDir?: string;
  /** Electron's crash dumps folder, listed in diagnostics. */
  crashDumpsDir?: string;
  paths: ShellPaths;
}

export interface ShellHandle {
  /** Resolves when the window is up (or the app gave up starting); false when this launch quit itself. */
  readonly started: Promise<boolean>;
  window(): BrowserWindow | null;
  core(): Core | null;
}

/** The Videos folder can be unknown (no XDG user dirs, a stripped-down profile): then userData. */
function defaultLibraryDir(): string {
  try {
    return path.join(app.getPath('videos'), 'SoraDesk');
  } catch {
    return path.join(app.getPath('userData'), 'videos');
  }
}

/** Help > Export Diagnostics: the bundle (no prompts: the Settings page offers that choice), shown in its folder. */
function exportDiagnosticsToFolder(client: ShellClient | null, logger: Logger): void {
  client?.request('exportDiagnostics', {})
    .then((made) => shell.showItemInFolder(made.path))
    .catch((err: unknown) => {
      logger.error('diagnostics export from the Help menu failed', { err });
      dialog.showErrorBox('Could not export diagnostics', err instanceof Error ? err.message : String(err));
    });
}

export function runShell(deps: ShellDeps): ShellHandle {
  const { logger } = deps;
  let win: BrowserWindow | null = null;
  let core: Core | null = null;
  let door: IpcDoor | null = null;
  let client: ShellClient | null = null;
  let watch: TaskWatch | null = null;
  let status: DesktopStatus | null = null;

  // A second launch hands over to the first one (which focuses its window) and quits.
  if (!app.requestSingleInstanceLock()) {
    logger.info('another SoraDesk is running; handing over to it');
    app.quit();
    return { started: Promise.resolve(false), window: () => null, core: () => null };
  }
  // Every renderer sandboxed, whatever its webPreferences say (Electron's checklist); before 'ready'.
  app.enableSandbox();
  registerAppScheme();

  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL ?? null : null;
  const devOrigin = devUrl ? new URL(devUrl).origin : null;

  // On macOS the window may be closed while the app lives on: a second launch opens it again.
  app.on('second-instance', () => {
    if (win) focusWindow(win);
    else if (core && door) openWindow();
  });
  // Links go to the OS browser only for the providers' hosts (asked of the core at the click) and the
  // project's pages; the rest is refused and logged.
  const openLink = createLinkOpener({
    providerHosts: async () => {
      if (!client) return [];
      const { providers } = await client.request('listProviders', {});
      return providers.flatMap((p) => { try { return [new URL(p.baseUrl).hostname]; } catch { return []; } });
    },
    open: openInBrowser,
    logger,
  });
  // Every web contents (not only the main window) gets the navigation and window.open guards.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    if (contents.getType?.() !== 'window') guardWebContents(contents, logger, devOrigin, openLink);
  });

  let stopping: Promise<void> | null = null;
  const stopCore = (): Promise<void> => {
    stopping ??= (async () => {
      watch?.stop();
      client?.stop();
      door?.dispose();
      status?.destroy();
      await core?.stop();
    })();
    return stopping;
  };
  let flushed = false;
  // Quit waits for the core to flush its writes and remove connection.json, then quits for real.
  app.on('before-quit', (event) => {
    if (flushed) return;
    event.preventDefault();
    void stopCore()
      .catch((err: unknown) => logger.error('core did not stop cleanly', { err }))
      .finally(() => {
        flushed = true;
        app.quit();
      });
  });
  // Windows logoff/shutdown skips before-quit (the window gets 'session-end'): start the flush at once.
  const onSessionEnd = () => {
    flushed = true;
    void stopCore().catch((err: unknown) => logger.error('core did not stop cleanly at session end', { err }));
  };
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const openWindow = () => {
    win = createMainWindow({
      preloadPath: deps.paths.preload,
      startUrl: devUrl ?? APP_START_URL,
      iconPath: deps.paths.windowIcon,
      isDev: !app.isPackaged,
      devOrigin,
      logger,
      version: app.getVersion(),
      openLink,
    });
    door?.attach(win);
    logRendererErrors(win.webContents, logger);
    const opened = win;
    opened.on('closed', () => { if (win === opened) win = null; });
    opened.on('session-end', onSessionEnd);
  };
  app.on('activate', () => { if (!win && core) openWindow(); });

  const start = async (): Promise<boolean> => {
    await app.whenReady();
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    denyAllPermissions(logger);
    const userData = app.getPath('userData');
    const logDir = deps.logDir ?? path.join(userData, 'logs');
    const updater = createUpdater({
      autoUpdater: app.isPackaged
        ? await deps.loadAutoUpdater().catch((err: unknown) => {
          logger.error('self-update unavailable: electron-updater did not load', { err });
          return null;
        })
        : null,
      isOnline: () => net.isOnline(),
      beforeInstall: async () => { await stopCore(); flushed = true; },
      logger: logger.child({ part: 'updater' }),
    });
    try {
      core = deps.createCore({
        dataDir: userData,
        settings: deps.createSettings(userData),
        secrets: deps.createSecrets(),
        logger: logger.child({ part: 'core' }),
        rendererDir: deps.paths.rendererDir,
        extraOrigins: [APP_ORIGIN],
        defaultLibraryDir: defaultLibraryDir(),
        locale: app.getLocale(),
        demoSampleDir: deps.paths.demoDir,
        updater,
        diagnostics: { appVersion: app.getVersion(), mode: 'desktop', logDir, crashDumpsDir: deps.crashDumpsDir },
      });
      await core.start();
    } catch (err) {
      logger.error('SoraDesk could not start', { err });
      dialog.showErrorBox('SoraDesk could not start', err instanceof Error ? err.message : String(err));
      flushed = true;
      app.quit();
      return false;
    }
    handleAppProtocol({ rendererDir: deps.paths.rendererDir, media: core.media, logger });
    // A locked screen drops the API keys held in memory: the next call asks the keychain again.
    const started = core;
    powerMonitor.on('lock-screen', () => started.forgetProviderKeys());
    client = openShellClient(core);
    // The renderer names a task; its file's path comes from the core, never from the page.
    const withKeptFile = (videoId: string, what: string, act: (file: string) => unknown) => {
      client?.request('getTask', { videoId })
        .then(async ({ localPath }) => {
          if (localPath) await act(localPath);
        })
        .catch((err: unknown) => logger.warn(`${what} failed`, { err }));
    };
    door = createIpcDoor({
      core,
      logger: logger.child({ part: 'ipc' }),
      devOrigin,
      showItemInFolder: (videoId) => withKeptFile(videoId, 'show in folder', (file) => shell.showItemInFolder(file)),
      openVideo: (videoId) => withKeptFile(videoId, 'open video', async (file) => {
        // openPath answers with an error text ('' when it worked) rather than throwing.
        const problem = await shell.openPath(file);
        if (problem) logger.warn('open video failed', { message: problem });
      }),
    });
    installAppMenu({ logDir, locale: app.getLocale(), exportDiagnostics: () => exportDiagnosticsToFolder(client, logger) });
    openWindow();
    const showWindow = () => (win ? focusWindow(win) : openWindow());
    status = createDesktopStatus({
      getWindow: () => win,
      showWindow,
      // The UI may select the task; a push, so a window opened just now gets it once it is ready.
      showTask: (videoId) => {
        showWindow();
        door?.push('focusTask', { videoId });
      },
      quit: () => app.quit(),
      trayIconPath: deps.paths.trayIcon,
    });
    const shown = status;
    watch = watchTasks(client, { onSummary: (s) => shown.summary(s), onFinished: (t, o) => shown.finished(t, o) }, logger);
    updater.startSchedule();
    return true;
  };

  return { started: start(), window: () => win, core: () => core };
}
