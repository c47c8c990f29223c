// Starts reliability/support/service-child.ts and talks to it: readiness, stats, stop, kill.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionInfo } from '../../electron/core/core-types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServiceStats {
  rss: number;
  heapUsed: number;
  handles: Record<string, number>;
}

export interface ServiceProcess {
  child: ChildProcess;
  info: ConnectionInfo;
  output(): string;
  alive(): boolean;
  stats(): Promise<ServiceStats>;
  stop(): Promise<void>;
}

export async function startService(dataDir: string, demoJobMs: number, logDir?: string): Promise<ServiceProcess> {
  const args = [path.join(ROOT, 'reliability/support/service-child.ts'), dataDir, String(demoJobMs), ...(logDir ? [logDir] : [])];
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', ...args], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = false;
  const waiters: Array<(line: string) => boolean> = [];
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) for (let i = 0; i < waiters.length; i++) if (waiters[i](line)) waiters.splice(i--, 1);
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const gone = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const nextLine = (prefix: string, limitMs: number) => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line in ${limitMs} ms:\n${out}`)), limitMs);
    void gone.then(() => { clearTimeout(timer); reject(new Error(`the service exited:\n${out}`)); });
    waiters.push((line) => {
      if (!line.startsWith(prefix)) return false;
      clearTimeout(timer);
      resolve(line.slice(prefix.length));
      return true;
    });
  });
  const info = JSON.parse(await nextLine('READY ', 60_000)) as ConnectionInfo;
  return {
    child, info,
    output: () => out,
    alive: () => !exited && child.exitCode === null,
    async stats() {
      const line = nextLine('STATS ', 10_000);
      child.stdin!.write('stats\n');
      return JSON.parse(await line) as ServiceStats;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    },
  };
}
