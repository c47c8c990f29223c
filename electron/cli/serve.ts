// `npm run serve`: the task service and the browser UI under plain Node, no Electron.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/core';
import { createLogger } from '../core/log';
import { createSecretStore } from '../core/secrets/create-secret-store';
import { createConfBackend } from '../core/settings/conf-backend';
import { parseServeArgs } from './serve-args';

const HARD_EXIT_MS = 2500;

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseServeArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger({ level: opts.logLevel });
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(here, '../../out/renderer');

  const core = createCore({
    dataDir: opts.dataDir,
    settings: createConfBackend({ cwd: opts.dataDir }),
    secrets: createSecretStore(opts.secretStore),
    logger,
    port: opts.port,
    rendererDir: fs.existsSync(path.join(rendererDir, 'index.html')) ? rendererDir : null,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // A flush that hangs must not keep the process past the contract's 3 s.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, HARD_EXIT_MS).unref();
    core.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    const info = await core.start();
    process.stdout.write(`SoraDesk is running. Open ${info.httpUrl}#token=${info.token}\n`);
    process.stdout.write(`Data: ${opts.dataDir}  WebSocket: ${info.wsUrl}  (secret store: ${opts.secretStore})\n`);
  } catch (err) {
    process.stderr.write(`SoraDesk could not start: ${(err as Error).message}\n`);
    await core.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
