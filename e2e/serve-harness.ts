// Starts `npm run serve` on a temp data dir in its own process group and waits for connection.json.
// Killing the group (not just npm) makes sure the Node service under it goes too.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Connection {
  wsUrl: string;
  httpUrl: string;
  token: string;
  pid: number;
}

export interface ServeHandle {
  dataDir: string;
  connection: Connection;
  /** The page URL with the one-time token, as `npm run serve` prints it. */
  appUrl: string;
  output(): string;
  stop(): Promise<void>;
}

const projectRoot = path.resolve(import.meta.dirname, '..');
const READY_LIMIT_MS = 60_000;

/** `prepare` runs on the empty data dir before the service starts (e.g. to seed tasks). */
export async function startServe(prepare?: (dataDir: string) => void | Promise<void>): Promise<ServeHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-e2e-'));
  await prepare?.(dataDir);
  let output = '';
  const child: ChildProcess = spawn('npm', ['run', 'serve', '--', '--data-dir', dataDir, '--port', '0', '--secret-store', 'memory'], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const file = path.join(dataDir, 'connection.json');
  const start = Date.now();
  while (!fs.existsSync(file)) {
    if (child.exitCode !== null) throw new Error(`npm run serve exited early:\n${output}`);
    if (Date.now() - start > READY_LIMIT_MS) {
      killGroup(child);
      throw new Error(`npm run serve did not write connection.json:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The file may be visible a moment before its content is complete.
  let connection: Connection | null = null;
  while (!connection) {
    try {
      connection = JSON.parse(fs.readFileSync(file, 'utf8')) as Connection;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    dataDir,
    connection,
    appUrl: `${connection.httpUrl}#token=${encodeURIComponent(connection.token)}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        killGroup(child);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
