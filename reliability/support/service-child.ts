// The task service in a process of its own, as `npm run serve` builds it (createCore, conf settings,
// the demo simulator), with what the suite needs and serve has no flag for: a fast demo job, keys in
// memory, every log line in <dataDir>/logs/service.log, and a stats line on request (stdin "stats":
// resident memory after a GC and the open handles by kind). Prints "READY <connection info>".
// Run: node --expose-gc --import tsx reliability/support/service-child.ts DATA_DIR DEMO_JOB_MS [LOG_DIR]
// (LOG_DIR elsewhere when the data dir is a disk the case fills up.)
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createCore } from '../../electron/core/core';
import { createLogger } from '../../electron/core/log';
import { createSecretStore } from '../../electron/core/secrets/create-secret-store';
import { createConfBackend } from '../../electron/core/settings/conf-backend';

const [dataDir, demoMs, logDirArg] = process.argv.slice(2);
const logDir = logDirArg ?? path.join(dataDir, 'logs');
fs.mkdirSync(logDir, { recursive: true });
const log = fs.openSync(path.join(logDir, 'service.log'), 'a');
const core = createCore({
  dataDir,
  settings: createConfBackend({ cwd: dataDir }),
  secrets: createSecretStore('memory'),
  logger: createLogger({ level: 'debug', write: (line) => fs.writeSync(log, line + '\n') }),
  demoJobDurationMs: Number(demoMs) || 15_000,
  locale: 'en-US',
});

function stats(): string {
  (globalThis as { gc?: () => void }).gc?.();
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  return JSON.stringify({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, handles });
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') process.stdout.write(`STATS ${stats()}\n`);
});
process.on('SIGTERM', () => {
  core.stop().then(() => process.exit(0), () => process.exit(1));
});
try {
  const info = await core.start();
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
} catch (err) {
  process.stdout.write(`FAILED ${(err as Error).message}\n`);
  process.exit(1);
}
