// Replays the review's flood on the demo simulator of a real `npm run serve` process: N POSTs of 32 KB
// prompts, then prints the service's resident memory before, right after and 15 s later, and what the
// simulator kept. Usage: node --import tsx scripts/demo-flood.ts [N=20000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const N = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = 32;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'soradesk-flood-'));
const root = path.resolve(import.meta.dirname, '..');

const rssMiB = (pid: number) => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
};

const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/serve.ts', '--data-dir', dataDir, '--secret-store', 'memory'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
const simUrl = await new Promise<string>((resolve, reject) => {
  const lines = readline.createInterface({ input: child.stderr! });
  lines.on('line', (line) => {
    const m = /"msg":"demo simulator listening".*?"baseUrl":"([^"]+)"/.exec(line);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
});
await new Promise((r) => setTimeout(r, 2000));
const before = rssMiB(child.pid!);

const prompt = 'A calico cat playing a piano on stage. '.repeat(850).slice(0, 32_000);
let sent = 0;
let refused = 0;
const started = Date.now();
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (sent < N) {
    sent++;
    const res = await fetch(`${simUrl}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, model: 'demo-video' }) });
    if (res.status !== 200) refused++;
    await res.arrayBuffer();
  }
}));
const after = rssMiB(child.pid!);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
await new Promise((r) => setTimeout(r, 15_000));
const later = rssMiB(child.pid!);
const list = await (await fetch(`${simUrl}/v1/videos?limit=100`)).json() as { data: unknown[]; has_more: boolean };
const stateBytes = statSync(path.join(dataDir, 'demo-simulator.json')).size;

console.log(`${N} POSTs of ${prompt.length}-character prompts in ${seconds} s (${refused} refused)`);
console.log(`service RSS: before ${before} MiB, right after ${after} MiB, 15 s later ${later} MiB`);
console.log(`simulator kept: first page ${list.data.length} jobs (more: ${list.has_more}); state file ${(stateBytes / 1024 / 1024).toFixed(1)} MiB`);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
