// The built-in `demo` provider: an offline simulator of the openai dialect on 127.0.0.1. It needs no
// key (any Bearer key, or none, is accepted) and serves real sample media when a job completes.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../log';
import { FaultSwitch } from './sim-faults';
import { SimJobs, VIDEO_SECONDS, VIDEO_SIZES, type SimJob } from './sim-jobs';
import { defaultSampleDir, loadSampleMedia, sendMedia, type SampleMedia } from './sim-media';

const MAX_BODY_BYTES = 25 * 1024 * 1024;
const MAX_PROMPT = 32_000;

export interface SimulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** How long a job takes from creation to completed (default 15 s). */
  jobDurationMs?: number;
  /** Where sample.mp4 and thumbnail.jpg are (default resources/demo). */
  sampleDir?: string;
  logger?: Logger;
  clock?: Clock;
  /** Expose POST/DELETE /__sim/faults for tests driving another process. Never on by default. */
  controlApi?: boolean;
}

export interface SimRequest {
  method: string;
  /** Path with query string. */
  path: string;
  /** Whether an Authorization header came with it (its value is never kept). */
  authorization: boolean;
  contentType: string | null;
}

export interface Simulator {
  /** http://127.0.0.1:PORT, the provider's baseUrl. */
  readonly baseUrl: string;
  readonly faults: FaultSwitch;
  /** Every request received, oldest first. */
  readonly requests: readonly SimRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly type = 'invalid_request_error', readonly code: string | null = null, readonly param: string | null = null) {
    super(message);
  }
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = opts.clock ?? systemClock;
  const log = (opts.logger ?? silentLogger).child({ component: 'demo-simulator' });
  const durationMs = opts.jobDurationMs ?? 15_000;
  const media = await loadSampleMedia(opts.sampleDir ?? defaultSampleDir());
  const jobs = new SimJobs(clock, durationMs);
  const faults = new FaultSwitch();
  const requests: SimRequest[] = [];
  const pollAfterMs = String(Math.max(250, Math.round(durationMs / 15)));

  const sendVideo = (res: ServerResponse, job: SimJob) =>
    sendJson(res, 200, jobs.view(job, faults.unknownStatus), { 'openai-poll-after-ms': pollAfterMs });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname + url.search, authorization: req.headers.authorization !== undefined, contentType: req.headers['content-type'] ?? null });
    log.debug('request', { method, path: url.pathname });

    if (url.pathname === '/__sim/faults' && opts.controlApi) {
      if (method === 'DELETE') { faults.clear(); return sendJson(res, 200, faults.current()); }
      if (method !== 'POST') throw new HttpError(405, 'use POST or DELETE');
      const body = await readJson(req);
      try {
        return sendJson(res, 200, faults.set(body as never));
      } catch (err) {
        throw new HttpError(400, `bad faults: ${(err as Error).message}`);
      }
    }
    if (!url.pathname.startsWith('/v1/')) throw new HttpError(404, `no route for ${method} ${url.pathname}`);

    const fault = faults.takeRequestFault();
    if (fault?.kind === 'hang') return; // the socket stays open until close()
    if (fault?.kind === 'unauthorized') throw new HttpError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    if (fault?.kind === 'serverError') throw new HttpError(500, 'The demo simulator was told to fail this request.', 'server_error');
    if (fault?.kind === 'rateLimit') {
      return sendJson(res, 429, { error: { message: 'Rate limit reached (simulated).', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': fault.retryAfter });
    }
    if (fault?.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('<html>this is not JSON</html>');
    }

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ['v1','videos',id?,action?]
    if (parts[1] !== 'videos' || parts.length > 4) throw new HttpError(404, `no route for ${method} ${url.pathname}`);
    const [, , id, action] = parts;

    if (!id) {
      if (method === 'POST') return sendVideo(res, await createJob(req, jobs, faults));
      if (method === 'GET') return sendJson(res, 200, listJobs(url, jobs, faults));
      throw new HttpError(405, `${method} is not allowed here`);
    }
    const job = jobs.get(id);
    if (!job) throw new HttpError(404, `Video with id '${id}' not found.`, 'invalid_request_error', 'video_not_found', 'video_id');
    if (!action) {
      if (method === 'GET') return sendVideo(res, job);
      if (method === 'DELETE') { jobs.delete(id); return sendJson(res, 200, { id, object: 'video.deleted', deleted: true }); }
      throw new HttpError(405, `${method} is not allowed here`);
    }
    if (action === 'remix' && method === 'POST') {
      const body = await readJson(req);
      const prompt = checkPrompt((body as Record<string, unknown>)?.prompt);
      const remix = jobs.create({ prompt, model: job.model, size: job.size, seconds: job.seconds, remixOf: job.id }, faults.failJobs);
      return sendVideo(res, remix);
    }
    if (action === 'content' && (method === 'GET' || method === 'HEAD')) return sendContent(req, res, url, job, jobs, media);
    throw new HttpError(404, `no route for ${method} ${url.pathname}`);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal simulator error', 'server_error');
      if (!(err instanceof HttpError)) log.error('simulator failed a request', { err });
      if (!res.headersSent) sendJson(res, e.status, { error: { message: e.message, type: e.type, param: e.param, code: e.code } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log.info('demo simulator listening', { baseUrl, jobDurationMs: durationMs, controlApi: Boolean(opts.controlApi) });

  let closing: Promise<void> | null = null;
  return {
    baseUrl,
    faults,
    get requests() { return requests; },
    clearRequests: () => { requests.length = 0; },
    close: () => (closing ??= new Promise<void>((resolve) => {
      server.closeAllConnections(); // hung requests included
      server.close(() => resolve());
    })),
  };
}

async function createJob(req: IncomingMessage, jobs: SimJobs, faults: FaultSwitch): Promise<SimJob> {
  const type = req.headers['content-type'] ?? '';
  let fields: Record<string, unknown>;
  if (/^multipart\/form-data/i.test(type)) {
    const raw = await readBody(req);
    let form: FormData;
    try {
      form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
    } catch {
      throw new HttpError(400, 'malformed multipart body');
    }
    fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
    const ref = form.get('input_reference');
    if (ref !== null && typeof ref !== 'string' && ref.size === 0) throw new HttpError(400, 'input_reference file is empty', 'invalid_request_error', null, 'input_reference');
  } else {
    const body = await readJson(req);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
    fields = body as Record<string, unknown>;
    const ref = fields.input_reference as Record<string, unknown> | undefined;
    if (ref !== undefined && (typeof ref !== 'object' || ref === null || Boolean(ref.image_url) === Boolean(ref.file_id))) {
      throw new HttpError(400, 'input_reference must have exactly one of image_url or file_id', 'invalid_request_error', null, 'input_reference');
    }
  }
  const prompt = checkPrompt(fields.prompt);
  const model = fields.model === undefined ? 'sora-2' : fields.model;
  if (typeof model !== 'string' || model === '') throw new HttpError(400, 'model must be a string', 'invalid_request_error', null, 'model');
  const seconds = fields.seconds === undefined ? '4' : String(fields.seconds);
  if (!(VIDEO_SECONDS as readonly string[]).includes(seconds)) {
    throw new HttpError(400, `Invalid value for 'seconds': expected one of ${VIDEO_SECONDS.join(', ')}.`, 'invalid_request_error', 'invalid_value', 'seconds');
  }
  const size = fields.size === undefined ? '720x1280' : String(fields.size);
  if (!(VIDEO_SIZES as readonly string[]).includes(size)) {
    throw new HttpError(400, `Invalid value for 'size': expected one of ${VIDEO_SIZES.join(', ')}.`, 'invalid_request_error', 'invalid_value', 'size');
  }
  return jobs.create({ prompt, model, size, seconds }, faults.failJobs);
}

function listJobs(url: URL, jobs: SimJobs, faults: FaultSwitch) {
  const limitRaw = url.searchParams.get('limit');
  const limit = limitRaw === null ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw new HttpError(400, 'limit must be an integer from 0 to 100', 'invalid_request_error', null, 'limit');
  const order = url.searchParams.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new HttpError(400, "order must be 'asc' or 'desc'", 'invalid_request_error', null, 'order');
  const { page, hasMore } = jobs.list({ limit, order, after: url.searchParams.get('after') ?? undefined });
  const data = page.map((j) => jobs.view(j, faults.unknownStatus));
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}

function sendContent(req: IncomingMessage, res: ServerResponse, url: URL, job: SimJob, jobs: SimJobs, media: SampleMedia): void {
  const variant = url.searchParams.get('variant') ?? 'video';
  if (variant !== 'video' && variant !== 'thumbnail') throw new HttpError(400, `variant '${variant}' is not available from the demo`, 'invalid_request_error', null, 'variant');
  if (!jobs.isCompleted(job)) throw new HttpError(404, 'Video is not ready yet: its status must be completed.', 'invalid_request_error', 'video_not_ready');
  if (variant === 'thumbnail') sendMedia(req, res, media.thumbnail, 'image/jpeg');
  else sendMedia(req, res, media.video, 'video/mp4');
}

function checkPrompt(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new HttpError(400, "Missing required parameter: 'prompt'.", 'invalid_request_error', 'missing_required_parameter', 'prompt');
  if (v.length > MAX_PROMPT) throw new HttpError(400, `prompt is longer than ${MAX_PROMPT} characters`, 'invalid_request_error', null, 'prompt');
  return v;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'We could not parse the JSON body of your request.');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
