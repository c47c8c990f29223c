// A real HTTP upstream on 127.0.0.1 for the benches: the openai dialect's job lookup
// (GET /v1/videos/{id}), with jobs the bench moves along and a record of when each lookup arrived.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchJob {
  id: string;
  status: 'queued' | 'in_progress' | 'completed';
  progress: number;
}

export interface BenchUpstream {
  readonly url: string;
  /** Every job lookup in arrival order, with its time by `now` (given at start). */
  readonly lookups: Array<{ jobId: string; at: number }>;
  /** Requests whose answer is not yet sent. */
  readonly open: number;
  addJob(progress?: number): BenchJob;
  close(): Promise<void>;
}

export async function startBenchUpstream(now: () => number = () => performance.now()): Promise<BenchUpstream> {
  const jobs = new Map<string, BenchJob>();
  const lookups: BenchUpstream['lookups'] = [];
  let open = 0;
  const server = http.createServer((req, res) => {
    const id = /^\/v1\/videos\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const job = req.method === 'GET' && id ? jobs.get(decodeURIComponent(id)) : undefined;
    if (id) lookups.push({ jobId: decodeURIComponent(id), at: now() });
    open++;
    res.once('close', () => open--);
    const body = job
      ? { object: 'video', id: job.id, status: job.status, progress: job.progress, model: 'sora-2', seconds: '4', size: '1280x720', created_at: 1_760_000_000, prompt: `bench job ${job.id}` }
      : { error: { code: 'not_found', message: 'no such video' } };
    res.writeHead(job ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let seq = 0;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lookups,
    get open() {
      return open;
    },
    addJob(progress = 1) {
      const job: BenchJob = { id: `video_bench_${++seq}`, status: 'in_progress', progress };
      jobs.set(job.id, job);
      return job;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
