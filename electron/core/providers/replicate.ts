// The `replicate` dialect: predictions. An official model runs at POST /v1/models/{owner}/{name}/predictions,
// a versioned one ("owner/name:version" or a bare version id) at POST /v1/predictions; GET /v1/predictions/{id}
// follows it, POST .../cancel stops it, GET /v1/predictions lists recent ones newest first (to find a
// creation whose answer was lost). The output is a URL (or a list of them) on Replicate's delivery host,
// fetched without the key and deleted about an hour after the prediction ends.
import type { FieldMapping } from '@shared/contract/model';
import { mapModelInput } from './catalog/field-mapping';
import { streamJobVideo, type JsonReply, type UpstreamHttp } from './http';
import { unsupported, UpstreamError, type CancelOutcome, type CreateJobInput, type ProviderClient, type UpstreamJob } from './provider-client';

/** Output files are deleted about an hour after the prediction ends. */
export const REPLICATE_OUTPUT_LIFETIME_MS = 3600_000;

export const REPLICATE_DEFAULT_MAPPING: FieldMapping = {
  duration: { field: 'duration', format: 'integer' },
  aspectRatio: { field: 'aspect_ratio' },
  image: { field: 'image' },
};

type Raw = Record<string, unknown>;
const OFFICIAL = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;
const VERSIONED = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*:)?([0-9a-f]{64})$/;

const STATUS: Record<string, UpstreamJob['status']> = {
  starting: 'QUEUED', processing: 'PROCESSING', succeeded: 'COMPLETED', failed: 'FAILED', canceled: 'CANCELLED', aborted: 'FAILED',
};

export function createReplicateClient(http: UpstreamHttp): ProviderClient {
  const bad = (message: string) => new UpstreamError('BAD_REQUEST', message, { transient: false, reached: 'no' });
  const predictionPath = (id: string) => {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) throw bad(`not a Replicate prediction id: ${JSON.stringify(id)}`);
    return `/v1/predictions/${id}`;
  };
  const prediction = (reply: JsonReply, fallbackId: string | null): UpstreamJob => {
    const b = reply.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw http.unparsable(b === undefined ? 'body is not JSON' : 'body is not a prediction');
    const job = parsePrediction(b as Raw, fallbackId, (t) => http.redactText(t));
    if (!job) throw http.unparsable('prediction has no id');
    if ((b as Raw).status === undefined) throw http.unparsable('prediction has no status');
    return job;
  };

  return {
    dialect: 'replicate',
    supportsList: true,
    supportsRemix: false,
    supportsCancel: true,
    supportsModelList: false,

    async create(input: CreateJobInput) {
      if (!input.model) throw bad('the replicate dialect needs a model (for example kwaivgi/kling-v2.5-turbo-pro)');
      const { input: modelInput } = mapModelInput('replicate', input.entry, REPLICATE_DEFAULT_MAPPING, { ...input, model: input.model });
      const version = VERSIONED.exec(input.model);
      const official = OFFICIAL.exec(input.model);
      let reply: JsonReply;
      if (version) {
        reply = await http.requestJson({ method: 'POST', path: '/v1/predictions', json: { version: version[1], input: modelInput } });
      } else if (official) {
        reply = await http.requestJson({ method: 'POST', path: `/v1/models/${official[1]}/${official[2]}/predictions`, json: { input: modelInput } });
      } else {
        throw bad(`not a Replicate model (owner/name or owner/name:version): ${JSON.stringify(input.model)}`);
      }
      const job = prediction(reply, null);
      return { ...job, prompt: job.prompt ?? input.prompt, seconds: input.seconds ?? null, size: input.size ?? null };
    },

    async retrieve(externalId) {
      return prediction(await http.requestJson({ method: 'GET', path: predictionPath(externalId) }), externalId);
    },

    async list(opts = {}) {
      const reply = await http.requestJson({
        method: 'GET', path: '/v1/predictions',
        query: { cursor: opts.after, created_after: opts.createdAfterMs == null ? undefined : new Date(opts.createdAfterMs).toISOString() },
      });
      const body = reply.body as { results?: unknown; next?: unknown } | undefined;
      if (!body || !Array.isArray(body.results)) throw http.unparsable('list has no results array');
      const jobs: UpstreamJob[] = [];
      for (const item of body.results) {
        const job = item && typeof item === 'object' ? parsePrediction(item as Raw, null, (t) => http.redactText(t)) : null;
        if (job) jobs.push(job);
      }
      const cursor = typeof body.next === 'string' && body.next !== '' ? cursorOf(body.next) : null;
      return { jobs, hasMore: cursor != null, lastId: cursor };
    },

    async cancel(externalId): Promise<CancelOutcome> {
      const job = prediction(await http.requestJson({ method: 'POST', path: `${predictionPath(externalId)}/cancel` }), externalId);
      // Cancelled, or still stopping: Replicate took it. Ended otherwise: it was over before the cancel came.
      return job.status === 'COMPLETED' || job.status === 'FAILED' ? 'finished' : 'confirmed';
    },

    async remove() { throw unsupported('replicate', 'deleting jobs'); },
    async remix() { throw unsupported('replicate', 'remix'); },
    async listModels() { throw unsupported('replicate', 'listing models'); },
    async probe() { await this.list(); },

    fetchContent: (target, variant, range) => streamJobVideo(http, 'replicate', target, variant, range),
  };
}

function cursorOf(next: string): string | null {
  try {
    return new URL(next, 'http://placeholder.invalid').searchParams.get('cursor');
  } catch {
    return null;
  }
}

export function parsePrediction(p: Raw, fallbackId: string | null, redact: (text: string) => string): UpstreamJob | null {
  const id = typeof p.id === 'string' && p.id !== '' ? p.id : fallbackId;
  if (!id) return null;
  const rawStatus = typeof p.status === 'string' ? p.status : null;
  const status = rawStatus ? STATUS[rawStatus] ?? null : null;
  const input = p.input && typeof p.input === 'object' ? (p.input as Raw) : {};
  const time = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);
  const completedAt = time(p.completed_at);
  let error: string | null = null;
  let errorCode: string | null = null;
  if (status === 'FAILED') {
    error = redact(typeof p.error === 'string' && p.error !== '' ? p.error : rawStatus === 'aborted' ? 'The prediction was aborted before it started' : 'The prediction failed');
    errorCode = rawStatus === 'aborted' ? 'aborted' : 'failed';
  }
  const videoUrl = status === 'COMPLETED' ? outputUrl(p.output) : null;
  return {
    externalId: id, status, rawStatus, progress: progressFromLogs(p.logs), videoUrl, thumbnailUrl: null, error, errorCode,
    prompt: typeof input.prompt === 'string' ? input.prompt : null, model: typeof p.model === 'string' ? p.model : null,
    seconds: typeof input.duration === 'number' ? String(input.duration) : null, size: null,
    createdAt: time(p.created_at), completedAt,
    expiresAt: videoUrl && completedAt != null ? completedAt + REPLICATE_OUTPUT_LIFETIME_MS : null,
    remixOf: null, pollAfterMs: null, queuePosition: null,
  };
}

/** A URL, or a list of them (the first video, else the first URL). */
function outputUrl(output: unknown): string | null {
  const urls = (Array.isArray(output) ? output : [output]).filter((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
  return urls.find((u) => /\.(mp4|mov|webm)(\?|$)/i.test(u)) ?? urls[0] ?? null;
}

/** The last percentage a model printed ("  45%|████▌ | 9/20"), or null. */
export function progressFromLogs(logs: unknown): number | null {
  if (typeof logs !== 'string' || logs === '') return null;
  const all = [...logs.matchAll(/(\d{1,3})%/g)];
  const last = all.at(-1);
  if (!last) return null;
  const n = Number(last[1]);
  return n >= 0 && n <= 100 ? n : null;
}
