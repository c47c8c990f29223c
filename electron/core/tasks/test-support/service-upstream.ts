// For tests: a real HTTP upstream on 127.0.0.1 that speaks the openai or sora dialect, keeps jobs
// the test can move along, counts requests, and can be told to fail in the ways real ones do.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeAfterTest } from './test-cleanup';

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'garbage' };

export interface UpstreamJobState {
  id: string;
  status: string;
  progress: number | string;
  prompt: string;
  created_at: number;
  video_url?: string;
  error?: unknown;
}

export interface TestUpstream {
  url: string;
  port: number;
  jobs: Map<string, UpstreamJobState>;
  /** Every request as "METHOD /path" (query dropped), in arrival order. */
  log: string[];
  /** When each request arrived, by the clock the test gave (its own time if none). */
  arrivals: number[];
  count(method: string, pathPrefix: string): number;
  /** Faults consumed one per matching request, before normal handling. */
  failNext(method: 'POST' | 'GET', fault: Fault, times?: number): void;
  /** On create: store the job but never answer (a timeout after the job was made). */
  createThenHang: boolean;
  /** Answers to GET /v1/videos/{id}/content. */
  content: Buffer;
  /** Jobs created and not finished (completed, failed, cancelled) right now, and the most there ever were at once. */
  readonly activeJobs: number;
  readonly maxActiveJobs: number;
  /** Requests open right now, and the most ever open at once. */
  readonly open: number;
  readonly maxOpen: number;
  /** While set, answers wait until the test releases them (a slow upstream). */
  holdAnswers: boolean;
  /** Requests whose answer is being held. */
  readonly held: number;
  /** Sends the oldest held answer (returns false when none is held). */
  releaseOne(): boolean;
  addJob(fields: Partial<UpstreamJobState> & { prompt: string }): UpstreamJobState;
  close(): Promise<void>;
}

export async function startTestUpstream(dialect: 'openai' | 'sora', port = 0, now: () => number = Date.now): Promise<TestUpstream> {
  const arrivals: number[] = [];
  const jobs = new Map<string, UpstreamJobState>();
  const log: string[] = [];
  const faults: Array<{ method: string; fault: Fault }> = [];
  const heldAnswers: Array<() => void> = [];
  let seq = 0;
  let open = 0;
  let maxOpen = 0;
  let maxActiveJobs = 0;
  const activeJobs = () => [...jobs.values()].filter((j) => !['completed', 'failed', 'cancelled'].includes(j.status)).length;
  const addJob = (fields: Partial<UpstreamJobState> & { prompt: string }): UpstreamJobState => {
    const job: UpstreamJobState = { id: `video_${++seq}`, status: 'queued', progress: 0, created_at: Math.floor(Date.now() / 1000), ...fields };
    jobs.set(job.id, job);
    return job;
  };
  const base = dialect === 'openai' ? '/v1/videos' : '/sora/v1/videos';
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const view = (j: UpstreamJobState) =>
    dialect === 'openai'
      ? { object: 'video', model: 'sora-2', seconds: '4', size: '1280x720', ...j }
      : { status: j.status, progress: j.progress, video_url: j.video_url, error: j.error };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const fi = faults.findIndex((f) => f.method === method);
    if (fi >= 0) {
      const { fault } = faults.splice(fi, 1)[0];
      if (fault.kind === 'hang') return;
      if (fault.kind === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('<html>not json');
      }
      return json(res, fault.status, fault.body ?? { error: { code: 'test_fault', message: `fault ${fault.status}` } }, fault.headers);
    }
    if (method === 'POST' && url.pathname === base) {
      let prompt = '';
      try {
        prompt = String((JSON.parse(body) as { prompt?: unknown }).prompt ?? '');
      } catch {
        return json(res, 400, { error: { code: 'bad_json', message: 'bad body' } });
      }
      const job = addJob({ prompt });
      maxActiveJobs = Math.max(maxActiveJobs, activeJobs());
      if (api.createThenHang) return;
      return json(res, 200, dialect === 'openai' ? view(job) : { id: job.id, status: 'processing', progress: 0 });
    }
    if (method === 'GET' && url.pathname === base && dialect === 'openai') {
      const all = [...jobs.values()].reverse();
      const after = url.searchParams.get('after');
      const start = after ? all.findIndex((j) => j.id === after) + 1 : 0;
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const data = all.slice(start, start + limit).map(view);
      return json(res, 200, { object: 'list', data, has_more: start + limit < all.length, last_id: all[start + data.length - 1]?.id ?? null });
    }
    const m = url.pathname.slice(base.length).match(/^\/([^/]+)(\/content)?$/);
    const job = m && url.pathname.startsWith(base) ? jobs.get(decodeURIComponent(m[1])) : undefined;
    if (method === 'GET' && job && m?.[2]) {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(api.content.length) });
      return res.end(api.content);
    }
    if (method === 'GET' && job) return json(res, 200, view(job));
    return json(res, 404, { error: { code: 'not_found', message: 'no such video' } });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    log.push(`${req.method} ${url.pathname}`);
    arrivals.push(now());
    maxOpen = Math.max(maxOpen, ++open);
    res.once('close', () => open--);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => (api.holdAnswers ? heldAnswers.push(() => handle(req, res, body)) : handle(req, res, body)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  const api: TestUpstream = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    jobs,
    log,
    arrivals,
    count: (method, prefix) => log.filter((l) => l.startsWith(`${method} ${prefix}`)).length,
    failNext(method, fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push({ method, fault });
    },
    createThenHang: false,
    content: Buffer.from('\0\0\0\x18ftypmp42 test video bytes'),
    get open() {
      return open;
    },
    get activeJobs() {
      return activeJobs();
    },
    get maxActiveJobs() {
      return maxActiveJobs;
    },
    get maxOpen() {
      return maxOpen;
    },
    holdAnswers: false,
    get held() {
      return heldAnswers.length;
    },
    releaseOne() {
      const answer = heldAnswers.shift();
      answer?.();
      return answer != null;
    },
    addJob,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return closeAfterTest(api);
}

/** A port nothing listens on right now (connection refused), to bring an upstream up on later. */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
