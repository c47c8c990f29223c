// Cold start at 100,000 stored tasks: spawn -> the first `listTasks` answer through `npm run serve`, and
// the service's resident memory then, against a bare `node` that reads and JSON.parses the same files
// (spawn -> parsed, and its resident memory holding the parsed tasks). Each round starts from a fresh
// copy of the same seeded data dir; the files are in the page cache for both (a warm disk, a cold process).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionInfo } from '../electron/core/core-types';
import { spawnServe } from '../electron/cli/test-support/serve-process';
import { connectBenchClient } from './support/bench-client';
import type { BenchCase, Figure } from './support/figures';
import { seedDataDir } from './support/seed';
import { alternate, median } from './support/stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MiB = 2 ** 20;

/** The bare parse: every task file read and parsed, the results kept, in a fresh `node`. */
const BARE_PARSE = `
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
const files = [path.join(dir, 'tasks-active.json'), ...fs.readdirSync(path.join(dir, 'archive')).filter((n) => /^seg-\\d+\\.json$/.test(n)).map((n) => path.join(dir, 'archive', n))];
const parsed = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const tasks = parsed.reduce((n, p) => n + p.tasks.length, 0);
process.stdout.write(JSON.stringify({ tasks, rss: process.memoryUsage().rss }) + '\\n');
`;

interface Sample {
  ms: number;
  rssMiB: number;
  tasks: number;
  /** The same start without npm (node scripts/serve.mjs). */
  directMs?: number;
}

function firstLine(stream: NodeJS.ReadableStream, match: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = match.exec(text);
      if (m) {
        stream.off('data', onData);
        resolve(m);
      }
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`the process ended without printing ${match}:\n${text}`)));
  });
}

async function bareParse(dataDir: string): Promise<Sample> {
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', BARE_PARSE, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const m = await firstLine(child.stdout, /^(\{.*\})\n/m);
  const ms = performance.now() - start;
  const out = JSON.parse(m[1]) as { tasks: number; rss: number };
  await new Promise((r) => child.once('exit', r));
  return { ms, rssMiB: out.rss / MiB, tasks: out.tasks };
}

/** The node command `npm run serve` runs (package.json), run without npm. */
function spawnServeDirect(dataDir: string): { child: ReturnType<typeof spawn>; stop(): Promise<void> } {
  const script = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { serve: string } }).scripts.serve;
  const args = script.replace(/^exec\s+/, '').split(/\s+/).slice(1); // after `node`
  const child = spawn(process.execPath, [...args, '--data-dir', dataDir, '--port', '0', '--secret-store', 'memory'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

/** `npm run serve`, or (direct) what it runs, without npm's own start. */
async function serveStart(pristine: string, workDir: string, direct: boolean): Promise<Sample> {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.cpSync(pristine, workDir, { recursive: true });
  const start = performance.now();
  const proc = direct ? spawnServeDirect(workDir) : spawnServe(workDir);
  try {
    const m = await firstLine(proc.child.stdout!, /Open (http:\/\/127\.0\.0\.1:\d+\/)#token=(\S+)/);
    const client = await connectBenchClient(`${m[1].replace('http:', 'ws:')}ws`, m[2]);
    const reply = await client.request('listTasks', { limit: 100 });
    const ms = performance.now() - start;
    if (reply.type !== 'taskList') throw new Error(`listTasks answered ${reply.type}`);
    const info = JSON.parse(fs.readFileSync(path.join(workDir, 'connection.json'), 'utf8')) as ConnectionInfo;
    const rssMiB = rssOf(info.pid);
    await client.close();
    return { ms, rssMiB, tasks: reply.payload.total as number };
  } finally {
    await proc.stop();
  }
}

const cases: BenchCase[] = [
  {
    name: 'cold start: spawn -> first listTasks answer, and resident memory',
    async run(ctx): Promise<Figure[]> {
      const total = ctx.quick ? 2_000 : 100_000;
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-bench-cold-'));
      const pristine = path.join(root, 'seeded');
      try {
        ctx.log(`seeding ${total} tasks`);
        await seedDataDir(pristine, total, ctx.quick ? 20 : 1000);
        const work = path.join(root, 'work');
        // Each round: the bare parse, then npm run serve and the same without npm, in turn.
        const r = await alternate({ rounds: ctx.quick ? 1 : 7, warmup: 1 }, () => bareParse(pristine), async () => {
          const viaNpm = await serveStart(pristine, work, false);
          return { ...viaNpm, directMs: (await serveStart(pristine, work, true)).ms };
        });
        for (const s of [...r.baseline, ...r.candidate]) if (s.tasks !== total) throw new Error(`saw ${s.tasks} tasks, not ${total}`);
        const rounds = r.candidate.length;
        const label = `${total.toLocaleString('en')} stored tasks`;
        return [
          {
            name: `cold start at ${label}: spawn -> first listTasks answer (the node command npm run serve runs, without npm)`, unit: 'ms',
            baselineIs: 'spawn -> a bare node has read and JSON.parsed the same files',
            baseline: median(r.baseline.map((s) => s.ms)), candidate: median(r.candidate.map((s) => s.directMs!)),
            target: { ratioAtMost: 2 }, rounds,
          },
          {
            name: `cold start at ${label}: spawn -> first listTasks answer (npm run serve)`, unit: 'ms',
            baselineIs: 'spawn -> a bare node has read and JSON.parsed the same files',
            baseline: median(r.baseline.map((s) => s.ms)), candidate: median(r.candidate.map((s) => s.ms)),
            target: { ratioAtMost: 2 }, rounds,
          },
          {
            name: `cold start at ${label}: resident memory at the first answer`, unit: 'MiB',
            baselineIs: 'resident memory of the bare node holding the parsed files',
            baseline: median(r.baseline.map((s) => s.rssMiB)), candidate: median(r.candidate.map((s) => s.rssMiB)),
            target: { ratioAtMost: 1.5 }, rounds,
          },
        ];
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  },
];

export default cases;
