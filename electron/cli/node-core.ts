// The core under plain Node, as `npm run serve` and the `soradesk` CLI (when no SoraDesk runs) build it:
// settings through conf, keys in the OS keychain (or memory), the app's logger, the project's files.
import path from 'node:path';
import { createCore } from '../core/core';
import type { Core, CoreDeps } from '../core/core-types';
import type { LogLevel, Logger } from '../core/log';
import { createAppLogging } from '../core/logging';
import { createSecretStore } from '../core/secrets/create-secret-store';
import { createConfBackend } from '../core/settings/conf-backend';
import { projectFiles } from './project-files';

/** SORADESK_DEMO_JOB_MS: how long a demo job takes (tests and demos that cannot wait ~15 s); unset: the default. */
export function demoJobDurationFromEnv(raw: string | undefined): number | undefined {
  const ms = Number(raw);
  return raw && Number.isInteger(ms) && ms >= 1000 && ms <= 600_000 ? ms : undefined;
}

export interface NodeCoreOptions {
  dataDir: string;
  port: number;
  secretStore: 'keychain' | 'memory';
  logLevel: LogLevel;
  /** The built UI served at `/`, or null (the WebSocket API only). */
  rendererDir: string | null;
  /** Log lines on stderr too (`npm run serve`), or only in the log file (the CLI, whose console is its output). */
  console: boolean;
  mode: NonNullable<CoreDeps['diagnostics']>['mode'];
}

export interface NodeCore {
  core: Core;
  logger: Logger;
  /** The same logger without the console. */
  fileLogger: Logger;
  logDir: string;
}

export function createNodeCore(opts: NodeCoreOptions): NodeCore {
  const files = projectFiles();
  const { logger, fileLogger, logDir } = createAppLogging({ dataDir: opts.dataDir, level: opts.logLevel, console: opts.console });
  const core = createCore({
    dataDir: opts.dataDir,
    settings: createConfBackend({ cwd: opts.dataDir }),
    secrets: createSecretStore(opts.secretStore),
    logger,
    port: opts.port,
    rendererDir: opts.rendererDir,
    demoJobDurationMs: demoJobDurationFromEnv(process.env.SORADESK_DEMO_JOB_MS),
    // From the project root: this runs built (out/serve/) as well as from the sources.
    demoSampleDir: path.join(files.root, 'resources/demo'),
    diagnostics: { appVersion: files.version, mode: opts.mode, logDir },
  });
  return { core, logger, fileLogger, logDir };
}
