// Push latency: from a status change to the last of N WebSocket clients.
// Candidate: SoraDesk's core with N authenticated clients; the trigger is the upstream answering a
// lookup with new progress (the moment the change exists); the change is stored durably, then pushed.
// Baseline: the physical limit of the same thing: a bare `ws` server that writes the same active
// file's bytes and fsyncs them once, then sends the same push text to N bare clients.
// Both sets of clients are the same code (the shared ContractClient) in this process; triggers alternate
// one by one.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { connectBenchClient, type BenchClient, type BenchMessage } from './support/bench-client';
import { startBenchUpstream, type BenchJob, type BenchUpstream } from './support/bench-upstream';
import { addBenchProvider, expectReply, startCoreUnderTest, trackJobs, until, type CoreUnderTest } from './support/core-under-test';
import type { BenchCase, BenchContext, Figure } from './support/figures';
import { alternate, median, percentile } from './support/stats';

/** Waits for one expected message on each of `n` clients; resolves with the time the last one got it. */
class Arrivals {
  private expected: ((p: Record<string, unknown>) => boolean) | null = null;
  private got = 0;
  private last = 0;
  private done: (() => void) | null = null;
  constructor(private readonly n: number) {}
  expect(match: (p: Record<string, unknown>) => boolean): Promise<number> {
    this.expected = match;
    this.got = 0;
    return new Promise((resolve) => (this.done = () => resolve(this.last)));
  }
  /** Called by every client for every message it parsed. */
  seen(msg: BenchMessage): void {
    if (msg.type !== 'taskUpdated' || !this.expected?.(msg.payload)) return;
    this.last = performance.now();
    if (++this.got === this.n) {
      this.expected = null;
      this.done?.();
    }
  }
}

interface Side {
  trigger(progress: number): Promise<number>;
  close(): Promise<void>;
}

async function inBatches<T>(n: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n) out.push(...(await Promise.all(Array.from({ length: Math.min(50, n - out.length) }, make))));
  return out;
}

interface CandidateSide extends Side {
  activeFile: string;
  samplePush: BenchMessage;
}

async function candidateSide(ctx: BenchContext, clients: number, active: number): Promise<CandidateSide> {
  const upstream: BenchUpstream = await startBenchUpstream();
  const c: CoreUnderTest = await startCoreUnderTest();
  await expectReply(c.admin, 'updateSettings', { pollIntervalMs: 3_600_000 }, 'settings');
  const providerId = await addBenchProvider(c, upstream);
  const jobs: BenchJob[] = Array.from({ length: active }, () => upstream.addJob(1));
  ctx.log(`tracking ${active} active tasks`);
  const ids = await trackJobs(c, providerId, jobs);
  // Each tracked task is looked up once at once; then the poller leaves them alone for an hour.
  await until(() => upstream.lookups.length >= active && upstream.open === 0, 'the first lookups');
  await new Promise((r) => setTimeout(r, 300));
  const arrivals = new Arrivals(clients);
  ctx.log(`connecting ${clients} clients to SoraDesk`);
  const fleet: BenchClient[] = await inBatches(clients, async () => {
    const client = await connectBenchClient(c.info.wsUrl, c.info.token);
    client.onPush((m) => arrivals.seen(m));
    return client;
  });
  let samplePush: BenchMessage | null = null;
  c.admin.onPush((m) => {
    if (m.type === 'taskUpdated') samplePush ??= m;
  });
  // Progress goes up to 99 per task: a few tasks carry the triggers in turn.
  let turn = 0;
  const side: CandidateSide = {
    activeFile: path.join(c.dataDir, 'tasks-active.json'),
    get samplePush() {
      return samplePush!;
    },
    async trigger() {
      const k = turn++ % 8;
      const job = jobs[k];
      const videoId = ids[k];
      job.progress = Math.min(99, job.progress + 1);
      const progress = job.progress;
      const before = upstream.lookups.length;
      const last = arrivals.expect((p) => p.videoId === videoId && p.progress === progress);
      await c.admin.request('requestTaskStatus', { videoId });
      const end = await last;
      return end - upstream.lookups[before].at;
    },
    async close() {
      await Promise.all(fleet.map((f) => f.close()));
      await c.stop();
      await upstream.close();
    },
  };
  return side;
}

async function baselineSide(clients: number, activeFile: string, sample: BenchMessage): Promise<Side> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'soradesk-bench-bare-'));
  const file = path.join(dir, 'tasks-active.json');
  const bytes = await fsp.readFile(activeFile);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  // It says yes to any `auth`, so the clients are the same as SoraDesk's: only the server differs.
  wss.on('connection', (ws) => ws.on('message', (data) => {
    const { id } = JSON.parse(String(data)) as { id: string };
    ws.send(JSON.stringify({ type: 'authenticated', id, timestamp: Date.now(), payload: { user: { id: 'local' } } }));
  }));
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const arrivals = new Arrivals(clients);
  const sockets = await inBatches(clients, async () => {
    const client = await connectBenchClient(`ws://127.0.0.1:${port}`, 'none');
    client.onPush((m) => arrivals.seen(m));
    return client;
  });
  const videoId = sample.payload.videoId;
  let progress = 0;
  return {
    async trigger() {
      const p = (progress = (progress % 99) + 1);
      const last = arrivals.expect((x) => x.videoId === videoId && x.progress === p);
      const start = performance.now();
      const fh = await fsp.open(file, 'w');
      await fh.writeFile(bytes);
      await fh.sync();
      await fh.close();
      const text = JSON.stringify({ ...sample, timestamp: Date.now(), payload: { ...sample.payload, progress: p } });
      for (const ws of wss.clients) ws.send(text);
      return (await last) - start;
    },
    async close() {
      await Promise.all(sockets.map((c) => c.close()));
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

function fanOut(clients: number, quickClients: number, rounds: number): BenchCase {
  return {
    name: `status change -> last of ${clients.toLocaleString('en')} WebSocket clients`,
    async run(ctx): Promise<Figure[]> {
      const n = ctx.quick ? quickClients : clients;
      const active = ctx.quick ? 20 : 1000;
      const cand = await candidateSide(ctx, n, active);
      let base: Side | null = null;
      try {
        await cand.trigger(0); // one push, so the baseline can send the same text
        base = await baselineSide(n, cand.activeFile, cand.samplePush);
        const r = await alternate({ rounds: ctx.quick ? 5 : rounds, warmup: ctx.quick ? 1 : 10 }, () => base!.trigger(0), () => cand.trigger(0));
        const bytes = JSON.stringify(cand.samplePush).length;
        return [{
          name: `status change -> last of ${n} clients, p99`,
          unit: 'ms',
          baselineIs: `bare ws broadcast of the same ${bytes}-byte push + write and fsync of the ${active}-task active file`,
          baseline: percentile(r.baseline, 99),
          candidate: percentile(r.candidate, 99),
          target: { ratioAtMost: 1.5 },
          rounds: r.candidate.length,
          note: `medians ${median(r.baseline).toFixed(2)} vs ${median(r.candidate).toFixed(2)} ms`,
        }];
      } finally {
        await base?.close();
        await cand.close();
      }
    },
  };
}

const cases: BenchCase[] = [fanOut(100, 10, 200), fanOut(1000, 20, 100)];

export default cases;
