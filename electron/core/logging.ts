// The app's logger, the same for the desktop app and `npm run serve`: JSON lines to the console and to
// the rotating file in <dataDir>/logs, plus the process-wide handlers that log what would otherwise
// vanish (an uncaught exception, a promise rejection nobody handled).
import { createLogger, type LogLevel, type Logger, type LogSink } from './log';
import { RotatingLogFile, logDirFor } from './log-file';

export interface AppLoggingOptions {
  dataDir: string;
  level?: LogLevel;
  /** Also write to stderr (default true). */
  console?: boolean;
  maxBytes?: number;
  keep?: number;
  fields?: Record<string, unknown>;
}

export interface AppLogging {
  logger: Logger;
  /** The same logger without the console: for what the console already says in its own words. */
  fileLogger: Logger;
  /** The folder of the log files (Help > Open logs folder, the diagnostics bundle). */
  logDir: string;
  file: RotatingLogFile;
}

export function createAppLogging(opts: AppLoggingOptions): AppLogging {
  const logDir = logDirFor(opts.dataDir);
  const file = new RotatingLogFile({
    dir: logDir,
    maxBytes: opts.maxBytes,
    keep: opts.keep,
    // Said once on the console (the log file is what failed); logging goes on there.
    onError: (err) => process.stderr.write(`SoraDesk cannot write its log file in ${logDir} (${(err as NodeJS.ErrnoException).code ?? err.message}); logging to the console only.\n`),
  });
  const quiet: LogSink = () => {};
  const logger = createLogger({ level: opts.level, write: opts.console === false ? quiet : undefined, sinks: [file.write], fields: opts.fields });
  const fileLogger = createLogger({ level: opts.level, write: file.write, fields: opts.fields });
  return { logger, fileLogger, logDir, file };
}

export interface ProcessErrorHandlers {
  /** After an uncaught exception is logged: the process is in an unknown state and should end. */
  onUncaught(err: Error): void;
}

/** Logs uncaught exceptions and unhandled rejections; returns a function that removes the handlers. */
export function logProcessErrors(logger: Logger, handlers: ProcessErrorHandlers): () => void {
  const onException = (err: Error, origin: string) => {
    logger.error('uncaught exception', { err, origin });
    handlers.onUncaught(err);
  };
  // A rejection nobody handled is a bug worth a log line, not a reason to stop a service mid-write.
  const onRejection = (reason: unknown) => {
    logger.error('unhandled promise rejection', reason instanceof Error ? { err: reason } : { reason: String(reason) });
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
