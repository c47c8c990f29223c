// The built-in demo: an offline simulator of every dialect on 127.0.0.1, with a second port standing in
// for the providers' media hosts. It needs no key (any key, or none, is accepted) and serves real sample
// media when a job completes. openai lives at the root (/v1/...), the others under /gemini, /fal and
// /replicate. Its doors are checked like the service's (Host, Origin, JSON only), its jobs are capped and,
// given a data dir, kept there, so a demo job outlives a restart.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../log';
import type { SimContext, SimRoute } from './sim-context';
import { FaultSwitch } from './sim-faults';
import { handleFal } from './sim-fal';
import { handleGemini } from './sim-gemini';
import { checkRequest } from './sim-guard';
import { errorBody, HttpError, readJsonObject, sendJson, type SimDialect } from './sim-http';
import { DEFAULT_MAX_JOBS, DEFAULT_MAX_PROMPT_CHARS, SimJobs } from './sim-jobs';
import { defaultSampleDir, loadSampleMedia, serveMediaHost } from './sim-media';
import { handleOpenAi } from './sim-openai';
import { loadSimJobs, persistSimJobs, type SimPersistence } from './sim-persist';
import { handleReplicate } from './sim-replicate';

export interface SimulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** The media host's port; 0 or absent: a free one. */
  mediaPort?: number;
  /** How long a job takes from creation to completed (default 15 s). */
  jobDurationMs?: number;
  /** Where sample.mp4 and thumbnail.jpg are (default resources/demo). */
  sampleDir?: string;
  logger?: Logger;
  clock?: Clock;
  /** Expose POST/DELETE /__sim/faults for tests driving another process. Never on by default. */
  controlApi?: boolean;
  /** Keep the jobs in <dataDir>/demo-simulator.json across restarts; null or absent: memory only. */
  dataDir?: string | null;
  /** Keep a log of the requests received (tests only; off by default, so nothing piles up). */
  recordRequests?: boolean;
  /** Caps on what the simulator keeps: jobs, and characters of prompt text over all jobs. */
  maxJobs?: number;
  maxPromptChars?: number;
  /**
   * The origins named in the URLs the simulator hands out (default: its real ones). The service gives
   * it names that never change, so a stored demo task does not hold this launch's port.
   */
  publicOrigins?: { api: string; media: string };
}

export interface SimRequest {
  method: string;
  /** Path with query string. */
  path: string;
  /** Whether an Authorization header came with it (its value is never kept). */
  authorization: boolean;
  /** Whether any key header came (Authorization or x-goog-api-key). */
  keyed: boolean;
  contentType: string | null;
  /** The simulator's clock when it arrived. */
  at: number;
  /** The HTTP status it was answered with (429, 500...), once answered; null while unanswered. */
  status: number | null;
}

export interface MediaRequest {
  method: string;
  path: string;
  /** Every header the media host received, to prove no key was among them. */
  headers: http.IncomingHttpHeaders;
}

export interface Simulator {
  /** http://127.0.0.1:PORT, the openai dialect's base URL. */
  readonly baseUrl: string;
  /** The base URL of each dialect (openai at the root, the others under a prefix). */
  readonly urls: Readonly<Record<SimDialect, string>>;
  /** http://127.0.0.1:MEDIAPORT, the media host. */
  readonly mediaUrl: string;
  readonly publicOrigins: { api: string; media: string };
  readonly faults: FaultSwitch;
  /** Requests received, oldest first; always empty unless `recordRequests` was set. */
  readonly requests: readonly SimRequest[];
  readonly mediaRequests: readonly MediaRequest[];
  clearRequests(): void;
  /** Jobs held now, and the prompt characters they hold (the caps bound both). */
  stats(): { jobs: number; promptChars: number };
  close(): Promise<void>;
}

const PREFIXES: Array<[string, SimDialect]> = [['/gemini/', 'gemini'], ['/fal/', 'fal'], ['/replicate/', 'replicate']];

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = opts.clock ?? systemClock;
  const log = (opts.logger ?? silentLogger).child({ component: 'demo-simulator' });
  const durationMs = opts.jobDurationMs ?? 15_000;
  const media = await loadSampleMedia(opts.sampleDir ?? defaultSampleDir());
  const jobs = new SimJobs(clock, durationMs, { maxJobs: opts.maxJobs ?? DEFAULT_MAX_JOBS, maxPromptChars: opts.maxPromptChars ?? DEFAULT_MAX_PROMPT_CHARS });
  let persistence: SimPersistence | null = null;
  if (opts.dataDir) {
    jobs.restore(loadSimJobs(opts.dataDir, log));
    persistence = persistSimJobs(jobs, opts.dataDir, log);
  }
  const faults = new FaultSwitch();
  const requests: SimRequest[] = [];
  const mediaRequests: MediaRequest[] = [];

  const api = http.createServer();
  const mediaHost = http.createServer();
  const bound = await Promise.allSettled([listen(api, opts.port ?? 0), listen(mediaHost, opts.mediaPort ?? 0)]);
  if (bound.some((b) => b.status === 'rejected')) {
    await Promise.all([api, mediaHost].map((s) => new Promise((resolve) => (s.listening ? s.close(resolve) : resolve(undefined)))));
    persistence?.close();
    throw (bound.find((b) => b.status === 'rejected') as PromiseRejectedResult).reason;
  }
  const [apiPort, mediaPort] = bound.map((b) => (b as PromiseFulfilledResult<number>).value);
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const mediaUrl = `http://127.0.0.1:${mediaPort}`;
  const publicOrigins = opts.publicOrigins ?? { api: baseUrl, media: mediaUrl };
  const ctx: SimContext = {
    jobs, faults, media, clock, publicApi: publicOrigins.api, publicMedia: publicOrigins.media,
    pollAfterMs: String(Math.max(250, Math.round(durationMs / 15))),
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> => {
    const prefix = PREFIXES.find(([p]) => url.pathname.startsWith(p));
    const dialect: SimDialect = prefix?.[1] ?? 'openai';
    const rest = prefix ? url.pathname.slice(prefix[0].length - 1) : url.pathname;
    if (opts.recordRequests) {
      const authorization = req.headers.authorization !== undefined;
      const entry: SimRequest = { method, path: url.pathname + url.search, authorization, keyed: authorization || req.headers['x-goog-api-key'] !== undefined, contentType: req.headers['content-type'] ?? null, at: clock.now(), status: null };
      requests.push(entry);
      res.once('finish', () => { entry.status = res.statusCode; });
    }
    checkRequest(req, apiPort, { multipartAllowed: dialect === 'openai' && method === 'POST' && rest === '/v1/videos' });
    log.debug('request', { method, path: url.pathname });

    if (url.pathname === '/__sim/faults' && opts.controlApi) {
      if (method === 'DELETE') { faults.clear(); return sendJson(res, 200, faults.current()); }
      if (method !== 'POST') throw new HttpError(405, 'use POST or DELETE');
      const body = await readJsonObject(req);
      try {
        return sendJson(res, 200, faults.set(body as never));
      } catch (err) {
        throw new HttpError(400, `bad faults: ${(err as Error).message}`);
      }
    }

    const fault = faults.takeRequestFault();
    if (fault?.kind === 'hang') return; // the socket stays open until close()
    if (fault?.kind === 'unauthorized') throw new HttpError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
    if (fault?.kind === 'serverError') throw new HttpError(500, 'The demo simulator was told to fail this request.', { type: 'server_error' });
    if (fault?.kind === 'rateLimit') throw new HttpError(429, 'Rate limit reached (simulated).', { type: 'rate_limit_error', code: 'rate_limit_exceeded', headers: { 'retry-after': fault.retryAfter } });
    if (fault?.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('<html>this is not JSON</html>');
    }
    // The request is carried out, and its answer is lost (the socket stays open until close()).
    if (fault?.kind === 'hangAfter') res = swallowed(res);

    const route: SimRoute = { req, res, method, url, parts: rest.split('/').filter(Boolean).map(decodeURIComponent) };
    if (dialect === 'gemini') return handleGemini(ctx, route);
    if (dialect === 'fal') return handleFal(ctx, route);
    if (dialect === 'replicate') return handleReplicate(ctx, route);
    return handleOpenAi(ctx, route);
  };

  const answer = (dialect: SimDialect | null, res: ServerResponse, err: unknown) => {
    const e = err instanceof HttpError ? err : new HttpError(500, 'internal simulator error', { type: 'server_error' });
    if (!(err instanceof HttpError)) log.error('simulator failed a request', { err });
    if (!res.headersSent) sendJson(res, e.status, errorBody(dialect, e), e.extra.headers ?? {});
  };

  api.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const dialect = PREFIXES.find(([p]) => url.pathname.startsWith(p))?.[1] ?? 'openai';
    handleApi(req, res, url, req.method ?? 'GET').catch((err: unknown) => answer(dialect, res, err));
  });
  mediaHost.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (opts.recordRequests) mediaRequests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: { ...req.headers } });
      checkRequest(req, mediaPort, { multipartAllowed: false });
      serveMediaHost(ctx, req, res, url);
    } catch (err) {
      answer(null, res, err);
    }
  });
  log.info('demo simulator listening', { baseUrl, mediaUrl, jobDurationMs: durationMs, jobs: jobs.size, controlApi: Boolean(opts.controlApi) });

  let closing: Promise<void> | null = null;
  return {
    baseUrl,
    urls: { openai: baseUrl, gemini: `${baseUrl}/gemini`, fal: `${baseUrl}/fal`, replicate: `${baseUrl}/replicate` },
    mediaUrl,
    publicOrigins,
    faults,
    get requests() { return requests; },
    get mediaRequests() { return mediaRequests; },
    clearRequests: () => { requests.length = 0; mediaRequests.length = 0; },
    stats: () => ({ jobs: jobs.size, promptChars: jobs.storedPromptChars }),
    close: () => (closing ??= Promise.all([api, mediaHost].map((server) => new Promise<void>((resolve) => {
      server.closeAllConnections(); // hung requests included
      server.close(() => resolve());
    }))).then(() => persistence?.close())),
  };
}

function swallowed(res: ServerResponse): ServerResponse {
  return new Proxy(res, {
    get(target, prop, receiver) {
      if (prop === 'writeHead' || prop === 'end' || prop === 'write') return () => receiver;
      if (prop === 'headersSent') return true;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
