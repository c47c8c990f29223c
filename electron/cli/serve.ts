// `npm run serve`: the task service and the browser UI under plain Node, no Electron.
import path from 'node:path';
import type { Core } from '../core/core-types';
import { logProcessErrors } from '../core/logging';
import { createNodeCore } from './node-core';
import { projectFiles } from './project-files';
import { parseServeArgs, type ServeOptions } from './serve-args';
import { EXIT_CODES, checkUiBuilt, explainStartFailure, prepareDataDir, type StartupFailure } from './serve-startup';

const HARD_EXIT_MS = 2500;

/** One line on stderr, the cause and the fix, and the exit code that names the cause. */
function refuse(failure: StartupFailure): never {
  process.stderr.write(`SoraDesk could not start: ${failure.line}\n`);
  process.exit(failure.exitCode);
}

function parseOrExit(): ServeOptions {
  try {
    return parseServeArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(EXIT_CODES.usage);
  }
}

/** The two human lines after a start, then whatever the start found that the user must know. */
function printStarted(core: Core, info: { httpUrl: string; wsUrl: string; token: string }, opts: ServeOptions, logDir: string): void {
  const keychainDown = core.startupNotices.some((n) => n.code === 'KEYCHAIN_UNAVAILABLE');
  process.stdout.write(`SoraDesk is running. Open ${info.httpUrl}#token=${info.token}\n`);
  process.stdout.write(`Data: ${opts.dataDir}  Logs: ${logDir}  WebSocket: ${info.wsUrl}  (secret store: ${opts.secretStore}${keychainDown ? ', UNAVAILABLE' : ''})\n`);
  for (const n of core.startupNotices) process.stderr.write(`${n.level === 'error' ? 'Error' : 'Warning'}: ${n.message}\n`);
}

async function main(): Promise<void> {
  const opts = parseOrExit();
  const files = projectFiles();
  const uiProblem = opts.ui ? checkUiBuilt(files.rendererDir) : null;
  if (uiProblem) refuse(uiProblem);
  const ctx = { dataDir: opts.dataDir, port: opts.port };
  try {
    prepareDataDir(opts.dataDir);
  } catch (err) {
    refuse(explainStartFailure(err, ctx) ?? { exitCode: EXIT_CODES.failed, line: (err as Error).message });
  }
  const { core, logger, fileLogger, logDir } = createNodeCore({
    dataDir: opts.dataDir,
    port: opts.port,
    secretStore: opts.secretStore,
    logLevel: opts.logLevel,
    rendererDir: opts.ui ? files.rendererDir : null,
    console: true,
    mode: 'serve',
  });

  let stopping = false;
  const stop = (reason: string, code: number = EXIT_CODES.ok) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { reason });
    // A flush that hangs must not keep the process past the contract's 3 s.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(EXIT_CODES.failed);
    }, HARD_EXIT_MS).unref();
    core.stop().then(
      () => process.exit(code),
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(EXIT_CODES.failed);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Logged with its stack; then what was durable stays durable: the core flushes and the process ends.
  logProcessErrors(logger, { onUncaught: () => stop('uncaught exception', EXIT_CODES.failed) });

  try {
    const info = await core.start();
    printStarted(core, info, opts, logDir);
  } catch (err) {
    const failure = explainStartFailure(err, ctx) ?? { exitCode: EXIT_CODES.failed, line: `${(err as Error).message} (details in ${path.join(logDir, 'soradesk.log')})` };
    // The console gets the one line below; the log file keeps the error itself for a bug report.
    fileLogger.error('could not start', { err, exitCode: failure.exitCode });
    await core.stop().catch(() => undefined);
    refuse(failure);
  }
}

void main();
