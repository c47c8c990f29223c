// One keyed HTTP channel to an upstream, over axios. It owns the rules every dialect shares: the
// key goes only to the provider's own origin, redirects are followed by hand (so the key never
// rides along to another host), and every failure becomes an UpstreamError with a message we built
// ourselves (axios errors carry the request headers, and so the key).
import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { UpstreamError, type ContentResponse } from './provider-client';
import type { ProviderDialect } from '@shared/contract/dialects';
import { retryAfterMs } from './retry-after';
import { guardedLookup, isLocalBaseUrl, mediaRefusal, PRIVATE_ADDRESS, type MediaRules } from './media-guard';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 10 * 60_000;
const MAX_REDIRECTS = 5;

const NEVER_LEFT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_NONAME']);

/**
 * How the key travels: `raw` `Authorization: <key>` (sora); `bearer` `Authorization: Bearer <key>`
 * (openai, Replicate); `key` `Authorization: Key <key>` (fal); `goog` `x-goog-api-key: <key>` (Gemini).
 */
export type AuthStyle = 'raw' | 'bearer' | 'key' | 'goog';

export interface UpstreamHttpOptions {
  baseUrl: string;
  apiKey: string | null;
  authStyle: AuthStyle;
  timeoutMs?: number;
  maxRetryAfterMs?: number;
  logger?: Logger;
  /** Time for Retry-After dates and latencies (default: the system clock). */
  clock?: Pick<Clock, 'now'>;
  /**
   * Origins that are names for others (name -> the origin actually dialled). The built-in demo is
   * addressed by a name that never changes, so a task stored before a restart still points at it
   * when the simulator comes back on another port. Which origin gets the key is decided by name.
   */
  originAliases?: Readonly<Record<string, string>>;
  /** Hosts besides the provider's origin that media may come from (the dialect's `mediaHosts`). */
  mediaHosts?: readonly string[];
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
}

export interface JsonReply {
  status: number;
  headers: Record<string, string>;
  /** Parsed body; undefined when the body is not JSON. */
  body: unknown;
}

export class UpstreamHttp {
  readonly origin: string;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly log: Logger;
  /** The channel's clock (Retry-After dates, latencies, what a client dates itself). */
  readonly now: () => number;
  /** Where media may come from, judged on the addresses actually dialled (the demo's names mapped). */
  private readonly media: MediaRules;

  constructor(private readonly opts: UpstreamHttpOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new UpstreamError('UPSTREAM_ERROR', `invalid provider base URL: ${JSON.stringify(opts.baseUrl)}`, { transient: false, reached: 'no' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UpstreamError('UPSTREAM_ERROR', `provider base URL must be http(s): ${url.protocol}`, { transient: false, reached: 'no' });
    }
    this.origin = url.origin;
    this.base = url.href.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.log = opts.logger ?? silentLogger;
    const clock = opts.clock ?? systemClock;
    this.now = () => clock.now();
    const dialledBase = this.dialled(this.base);
    this.media = { origin: new URL(dialledBase).origin, mediaHosts: opts.mediaHosts ?? [], local: isLocalBaseUrl(dialledBase) };
  }

  /** Is this absolute URL on the provider's own origin (the one that gets the key)? */
  isOwn(url: string): boolean {
    try {
      return new URL(url).origin === this.origin;
    } catch {
      return false;
    }
  }

  /** An absolute URL for a path under the base URL (which may itself carry a path prefix). */
  url(path: string, query?: JsonRequest['query']): string {
    const u = new URL(this.base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.href;
  }

  /** A request whose answer is JSON; non-2xx answers are thrown as UpstreamError. */
  async requestJson(req: JsonRequest): Promise<JsonReply> {
    const res = await this.send(req.method, this.url(req.path, req.query), 'text', {
      data: req.form ?? (req.json === undefined ? undefined : JSON.stringify(req.json)),
      contentType: req.form ? undefined : req.json === undefined ? undefined : 'application/json',
    });
    const headers = flattenHeaders(res.headers);
    const text = typeof res.data === 'string' ? res.data : '';
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, headers, body };
    throw this.statusError(res.status, headers, body ?? text);
  }

  /**
   * Streams a URL (a path under the base, or an absolute URL anywhere). The key is attached only
   * when the URL is on the provider's own origin. 2xx and 416 are returned; other statuses thrown.
   */
  async stream(target: string, range?: string): Promise<ContentResponse> {
    const url = target.startsWith('/') ? this.url(target) : new URL(target, this.base + '/').href;
    // A video URL comes from the upstream: never let it point at a local file, an inline blob, or a
    // service on this machine or the LAN (checked again on every redirect and at connect time).
    this.checkMedia(url);
    const res = await this.send('GET', url, 'stream', { range });
    const headers = flattenHeaders(res.headers);
    const body = res.data as Readable;
    if ((res.status >= 200 && res.status < 300) || res.status === 416) return { status: res.status, headers, body };
    const text = await readSome(body);
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* plain text error body */ }
    throw this.statusError(res.status, headers, parsed);
  }

  /** Turns an unusable 2xx body into the transient "unparsable" error. */
  unparsable(what: string): UpstreamError {
    return new UpstreamError('UPSTREAM_ERROR', `unparsable upstream response: ${what}`, { transient: true, reached: 'yes', httpStatus: 200 });
  }

  private async send(
    method: string,
    firstUrl: string,
    responseType: 'text' | 'stream',
    extra: { data?: unknown; contentType?: string; range?: string },
  ): Promise<AxiosResponse> {
    let url = firstUrl;
    let currentMethod = method;
    for (let hop = 0; ; hop++) {
      const keyed = new URL(url).origin === this.origin;
      const headers: Record<string, string> = { Accept: responseType === 'stream' ? '*/*' : 'application/json' };
      if (keyed && this.opts.apiKey) Object.assign(headers, keyHeader(this.opts.authStyle, this.opts.apiKey));
      if (extra.contentType) headers['Content-Type'] = extra.contentType;
      if (extra.range) headers.Range = extra.range;
      const res = await this.once(currentMethod, url, headers, responseType, currentMethod === method ? extra.data : undefined);
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && typeof location === 'string') {
        if (responseType === 'stream') (res.data as Readable).destroy();
        if (currentMethod !== 'GET' && res.status !== 303) {
          throw new UpstreamError('UPSTREAM_ERROR', `upstream redirected a ${currentMethod} request (HTTP ${res.status})`, { transient: false, reached: 'yes', httpStatus: res.status });
        }
        if (hop >= MAX_REDIRECTS) {
          throw new UpstreamError('UPSTREAM_ERROR', 'too many redirects from the upstream', { transient: false, reached: 'yes', httpStatus: res.status });
        }
        url = new URL(location, url).href;
        if (responseType === 'stream') this.checkMedia(url);
        currentMethod = 'GET';
        continue;
      }
      return res;
    }
  }

  /** Throws when `url` may not be fetched as media (finding 5 of the attack review). */
  private checkMedia(url: string): void {
    const why = mediaRefusal(this.dialled(url), this.media);
    if (why) {
      let host = '';
      try { host = new URL(url).host; } catch { /* the reason says it is not a URL */ }
      throw new UpstreamError('UPSTREAM_ERROR', `refusing to fetch the video${host ? ` from ${host}` : ''}: ${why}`, { transient: false, reached: 'no' });
    }
  }

  private async once(method: string, url: string, headers: Record<string, string>, responseType: 'text' | 'stream', data: unknown): Promise<AxiosResponse> {
    // Our own timer rather than axios' `timeout`: it stops once the headers are in, so a slow
    // reader of a long video is not cut off, and we know for sure it was our timeout.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, this.timeoutMs);
    const started = this.now();
    const path = new URL(url).pathname;
    try {
      const res = await axios.request({
        method, url: this.dialled(url), headers, data, responseType,
        signal: controller.signal,
        maxRedirects: 0,
        validateStatus: () => true,
        transformResponse: (d: unknown) => d,
        proxy: false,
        // Media URLs come from the upstream: the address a name resolves to is checked as the
        // connection is made (a name pointing at 127.0.0.1 or the LAN is refused: DNS rebinding).
        ...(responseType === 'stream' ? { lookup: guardedLookup(this.media.local) as AxiosRequestConfig['lookup'] } : {}),
      });
      this.log.debug('upstream answered', { method, path, status: res.status, ms: this.now() - started });
      return res;
    } catch (err) {
      const e = this.networkError(err, timedOut);
      this.log.warn('upstream request failed', { method, path, reached: e.reached, message: e.message });
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The URL actually dialled: an alias origin replaced by the origin it stands for. */
  private dialled(url: string): string {
    const aliases = this.opts.originAliases;
    if (!aliases) return url;
    const u = new URL(url);
    const real = aliases[u.origin];
    return real ? real + u.pathname + u.search : url;
  }

  private networkError(err: unknown, timedOut: boolean): UpstreamError {
    if (timedOut) {
      return new UpstreamError('UPSTREAM_ERROR', `upstream did not answer within ${this.timeoutMs} ms`, { transient: true, reached: 'unknown' });
    }
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? 'UNKNOWN';
    if (code === PRIVATE_ADDRESS) {
      return new UpstreamError('UPSTREAM_ERROR', `refusing to fetch the video: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`, { transient: false, reached: 'no' });
    }
    if (NEVER_LEFT.has(code)) {
      return new UpstreamError('UPSTREAM_ERROR', `cannot reach the upstream (${code})`, { transient: true, reached: 'no' });
    }
    if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_URL' || code === 'ERR_HTTP_INVALID_HEADER_VALUE') {
      return new UpstreamError('UPSTREAM_ERROR', `request could not be built (${code}); check the provider settings`, { transient: false, reached: 'no' });
    }
    // A reset, a socket hang up or anything else after the request left: it may have arrived.
    return new UpstreamError('UPSTREAM_ERROR', `connection to the upstream failed (${code})`, { transient: true, reached: 'unknown' });
  }

  private statusError(status: number, headers: Record<string, string>, body: unknown): UpstreamError {
    const said = this.redact(upstreamMessage(body));
    const suffix = said ? `: ${said}` : '';
    const base = { reached: 'yes' as const, httpStatus: status, ...(said ? { upstreamMessage: said } : {}) };
    if (status === 401 || status === 403) {
      return new UpstreamError('UPSTREAM_UNAUTHORIZED', `upstream rejected the API key (HTTP ${status})${suffix}`, { ...base, transient: false });
    }
    if (status === 404) {
      return new UpstreamError('NOT_FOUND', `upstream has no such job (HTTP 404)${suffix}`, { ...base, transient: false });
    }
    if (status === 429) {
      const wait = retryAfterMs(headers['retry-after'], this.now(), this.maxRetryAfterMs);
      return new UpstreamError('RATE_LIMITED', `upstream rate limit (HTTP 429)${suffix}`, {
        ...base, transient: true, ...(wait == null ? {} : { retryAfterMs: wait }),
      });
    }
    if (status >= 500) {
      return new UpstreamError('UPSTREAM_ERROR', `upstream failed (HTTP ${status})${suffix}`, { ...base, transient: true });
    }
    return new UpstreamError('UPSTREAM_ERROR', `upstream refused the request (HTTP ${status})${suffix}`, { ...base, transient: false });
  }

  /** The key and key-shaped text taken out of words an upstream wrote (a job's error message). */
  redactText(text: string): string {
    return this.redact(text);
  }

  /** Some upstreams echo the key in error text ("invalid key sk-..."): never pass it on. */
  private redact(text: string): string {
    const key = this.opts.apiKey;
    let out = key && key.length >= 4 ? text.split(key).join('[redacted]') : text;
    out = out.replace(/\b(Bearer\s+)\S+/gi, '$1[redacted]');
    return out.length > 500 ? out.slice(0, 500) + '…' : out;
  }
}

function keyHeader(style: AuthStyle, key: string): Record<string, string> {
  switch (style) {
    case 'bearer': return { Authorization: `Bearer ${key}` };
    case 'key': return { Authorization: `Key ${key}` };
    case 'goog': return { 'x-goog-api-key': key };
    case 'raw': return { Authorization: key };
  }
}

/**
 * The upstream's own words from an error body: {error: {message}} (openai, Gemini), {error: "..."},
 * {message}, {detail: "..."} (fal, Replicate), {detail: [{msg, loc}]} (fal's validation errors), or text.
 */
export function upstreamMessage(body: unknown): string {
  if (typeof body === 'string') return body.trim().startsWith('<') ? '' : body.trim();
  if (!body || typeof body !== 'object') return '';
  const o = body as Record<string, unknown>;
  const err = o.error;
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && typeof (err as Record<string, unknown>).message === 'string') return (err as { message: string }).message;
  if (typeof o.message === 'string') return o.message;
  if (typeof o.detail === 'string') return o.detail;
  if (Array.isArray(o.detail)) {
    return o.detail.map((d: unknown) => {
      const item = d as { msg?: unknown; loc?: unknown };
      const where = Array.isArray(item.loc) ? item.loc.filter((l) => l !== 'body').join('.') : '';
      return typeof item.msg === 'string' ? (where ? `${where}: ${item.msg}` : item.msg) : '';
    }).filter(Boolean).join('; ');
  }
  if (typeof o.title === 'string') return o.title;
  return '';
}

function flattenHeaders(raw: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v == null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Reads at most 64 KiB of an error body, then lets the socket go. */
async function readSome(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(Buffer.from(chunk as Buffer));
      size += (chunk as Buffer).length;
      if (size > 65_536) break;
    }
  } catch { /* a broken error body still yields the status */ }
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A job's video where the upstream named it (a file URI, a CDN or delivery URL): the key goes with it
 * only on the provider's own origin. These dialects have no thumbnails.
 */
export function streamJobVideo(http: UpstreamHttp, dialect: ProviderDialect, target: { videoUrl: string | null }, variant: 'video' | 'thumbnail', range?: string): Promise<ContentResponse> {
  if (variant === 'thumbnail') return Promise.reject(new UpstreamError('NOT_FOUND', `the ${dialect} dialect has no thumbnails`, { transient: false, reached: 'no' }));
  if (!target.videoUrl) return Promise.reject(new UpstreamError('NOT_FOUND', 'the job has no video URL yet', { transient: false, reached: 'no' }));
  return http.stream(target.videoUrl, range);
}
