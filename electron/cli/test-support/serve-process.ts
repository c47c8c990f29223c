// Runs `npm run serve` as a user would: its own process group, a data dir, signals to the group.
// Used by the CLI's integration tests and the end-to-end tests.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionInfo } from '../../core/core-types';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for connection.json (one written by this launch, not `stale`, a crashed launch's) and returns it. */
  ready(opts?: { limitMs?: number; stale?: ConnectionInfo }): Promise<ConnectionInfo>;
  /** Sends a signal to the whole process group. */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it lingers; resolves once it is gone. */
  stop(): Promise<void>;
}

export function spawnServe(dataDir: string, extraArgs: string[] = ['--secret-store', 'memory'], env: NodeJS.ProcessEnv = {}, cwd = projectRoot): ServeProcess {
  const child = spawn('npm', ['run', '--silent', 'serve', '--', '--data-dir', dataDir, '--port', '0', ...extraArgs], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // the group is already gone
    }
  };

  return {
    child,
    dataDir,
    output: () => out,
    exited,
    signal,
    async ready({ limitMs = 60_000, stale }: { limitMs?: number; stale?: ConnectionInfo } = {}) {
      const file = path.join(dataDir, 'connection.json');
      const deadline = Date.now() + limitMs;
      for (;;) {
        if (gone) throw new Error(`npm run serve exited before it was ready:\n${out}`);
        if (Date.now() > deadline) throw new Error(`npm run serve was not ready in ${limitMs} ms:\n${out}`);
        try {
          const info = JSON.parse(fs.readFileSync(file, 'utf8')) as ConnectionInfo;
          if (info.token !== stale?.token) return info;
        } catch {
          // not written yet, or half-written
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (gone) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
