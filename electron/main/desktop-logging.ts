// The desktop app's logging, set up before anything else runs: the same logger as `npm run serve`
// (JSON lines in <userData>/logs), Electron's crash reporter writing dumps locally (never uploaded),
// and every way a process can fail without telling anyone turned into a log line.
import { app, crashReporter, dialog, type WebContents } from 'electron';
import type { LogLevel, Logger } from '../core/log';
import { createAppLogging, logProcessErrors } from '../core/logging';

export interface DesktopLogging {
  logger: Logger;
  logDir: string;
  /** Where Electron keeps crash dumps (listed in diagnostics, never copied). */
  crashDumpsDir: string;
}

export function startDesktopLogging(level: LogLevel = 'info', opts: { console?: boolean } = {}): DesktopLogging {
  const { logger, logDir } = createAppLogging({ dataDir: app.getPath('userData'), level, console: opts.console });
  // Minidumps stay in app.getPath('crashDumps'); nothing leaves the machine.
  crashReporter.start({ uploadToServer: false });
  logProcessErrors(logger, {
    onUncaught: (err) => {
      dialog.showErrorBox('SoraDesk hit an unexpected error', `${err.message}\n\nSoraDesk will close; your tasks are saved. Details are in the log folder: ${logDir}`);
      app.quit();
    },
  });
  app.on('render-process-gone', (_event, _contents, details) => logger.error('the window\'s renderer process is gone', { reason: details.reason, exitCode: details.exitCode }));
  app.on('child-process-gone', (_event, details) => logger.error('a helper process is gone', { type: details.type, reason: details.reason, exitCode: details.exitCode, name: details.name }));
  return { logger, logDir, crashDumpsDir: app.getPath('crashDumps') };
}

/** The renderer's uncaught errors and unhandled rejections reach main as console errors: into the log. */
export function logRendererErrors(contents: WebContents, logger: Logger): void {
  contents.on('console-message', (details) => {
    if (details.level !== 'error') return;
    logger.error('renderer error', { message: details.message.slice(0, 2000), source: details.sourceId, line: details.lineNumber });
  });
  contents.on('unresponsive', () => logger.warn('the window stopped responding'));
}
