// `npm run serve` for the browser tests: a temp data dir, optionally seeded before start, and the
// page URL with the token as the service prints it. The process handling is the CLI tests' own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionInfo } from '../electron/core/core-types';
import { spawnServe } from '../electron/cli/test-support/serve-process';

export interface ServeHandle {
  dataDir: string;
  connection: ConnectionInfo;
  /** The page URL with the one-time token, as `npm run serve` prints it. */
  appUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Runs on the empty data dir before the service starts (e.g. to seed tasks). */
  prepare?: (dataDir: string) => void | Promise<void>;
  /** How long a demo job takes (SORADESK_DEMO_JOB_MS); the default ~15 s when absent. */
  demoJobMs?: number;
}

export async function startServe(prepare?: ServeOptions['prepare'], opts: Omit<ServeOptions, 'prepare'> = {}): Promise<ServeHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-e2e-'));
  await prepare?.(dataDir);
  const proc = spawnServe(dataDir, undefined, opts.demoJobMs ? { SORADESK_DEMO_JOB_MS: String(opts.demoJobMs) } : {});
  let connection: ConnectionInfo;
  try {
    connection = await proc.ready();
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    dataDir,
    connection,
    appUrl: `${connection.httpUrl}#token=${encodeURIComponent(connection.token)}`,
    output: proc.output,
    async stop() {
      await proc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
