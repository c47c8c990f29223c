// The `fal` dialect: fal's queue API. POST {base}/{modelId} queues a request; its status is at
// {base}/{app}/requests/{id}/status (IN_QUEUE with a queue position, IN_PROGRESS, COMPLETED), its result
// at {base}/{app}/requests/{id}, its cancel at PUT .../cancel. The externalId is that request path under
// the base: taken from the answer's response_url when it is on the provider's own origin, else built from
// the base. The video URL in the result is on fal's media host and is fetched without the key.
import type { FieldMapping } from '@shared/contract/model';
import { randomUUID } from 'node:crypto';
import { mapModelInput } from './catalog/field-mapping';
import { streamJobVideo, type JsonReply, type UpstreamHttp } from './http';
import { probeMadeUpJob, unsupported, UpstreamError, type CancelOutcome, type CreateJobInput, type ProviderClient, type UpstreamJob } from './provider-client';

/** The usual field names, for a model the catalog does not know. */
export const FAL_DEFAULT_MAPPING: FieldMapping = {
  duration: { field: 'duration', format: 'string' },
  aspectRatio: { field: 'aspect_ratio' },
  image: { field: 'image_url' },
};

type Raw = Record<string, unknown>;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)+$/;
const NAMESPACES = new Set(['workflows', 'comfy']);

/** "fal-ai/kling-video/v2.5-turbo/pro/text-to-video" -> "fal-ai/kling-video": status and result live under the app. */
export function falAppId(modelId: string): string {
  const parts = modelId.split('/');
  return (NAMESPACES.has(parts[0]) ? parts.slice(0, 3) : parts.slice(0, 2)).join('/');
}

export function createFalClient(http: UpstreamHttp): ProviderClient {
  const basePath = new URL(http.url('/')).pathname.replace(/\/+$/, '');
  const bad = (message: string) => new UpstreamError('BAD_REQUEST', message, { transient: false, reached: 'no' });

  const requestPath = (externalId: string) => {
    const segments = externalId.replace(/^\/+/, '').split('/');
    if (segments.length < 3 || segments.some((s) => s === '' || s === '.' || s === '..') || !segments.includes('requests')) {
      throw bad(`not a fal request path (owner/app/requests/id): ${JSON.stringify(externalId)}`);
    }
    return '/' + segments.map(encodeURIComponent).join('/');
  };

  /** The request's path under the base, from the answer's own URL when it is ours, else built. */
  const externalIdOf = (body: Raw, modelId: string): string => {
    const requestId = typeof body.request_id === 'string' && body.request_id !== '' ? body.request_id : null;
    const answered = typeof body.response_url === 'string' ? body.response_url : null;
    if (answered && http.isOwn(answered)) {
      const path = decodeURIComponent(new URL(answered).pathname);
      if (path.startsWith(basePath + '/') && path.includes('/requests/')) return path.slice(basePath.length + 1);
    }
    if (!requestId) throw http.unparsable('queue answer has no request_id');
    return `${falAppId(modelId)}/requests/${requestId}`;
  };

  const fresh = (externalId: string): UpstreamJob => ({
    externalId, status: null, rawStatus: null, progress: null, videoUrl: null, thumbnailUrl: null, error: null, errorCode: null,
    prompt: null, model: null, seconds: null, size: null, createdAt: null, completedAt: null, expiresAt: null, remixOf: null,
    pollAfterMs: null, queuePosition: null,
  });

  const objectOf = (reply: JsonReply, what: string): Raw => {
    const b = reply.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw http.unparsable(b === undefined ? `${what} is not JSON` : `${what} is not an object`);
    return b as Raw;
  };

  async function result(externalId: string, job: UpstreamJob): Promise<UpstreamJob> {
    let body: Raw;
    try {
      body = objectOf(await http.requestJson({ method: 'GET', path: requestPath(externalId) }), 'result');
    } catch (err) {
      // A refusal of the result (a 4xx that is not about the key, the rate or a missing request) is the job's own failure.
      if (err instanceof UpstreamError && err.reached === 'yes' && !err.transient && err.code === 'UPSTREAM_ERROR') {
        return { ...job, status: 'FAILED', rawStatus: 'COMPLETED', error: err.upstreamMessage ?? err.message, errorCode: `HTTP_${err.httpStatus ?? 'ERROR'}` };
      }
      throw err;
    }
    const url = videoUrlOf(body);
    if (!url) return { ...job, status: 'FAILED', rawStatus: 'COMPLETED', error: 'The result has no video', errorCode: 'NO_VIDEO' };
    return { ...job, status: 'COMPLETED', rawStatus: 'COMPLETED', videoUrl: url, progress: 100 };
  }

  return {
    dialect: 'fal',
    supportsList: false,
    supportsRemix: false,
    supportsCancel: true,
    supportsModelList: false,

    async create(input: CreateJobInput) {
      if (!input.model) throw bad('the fal dialect needs a model (for example fal-ai/veo3.1)');
      if (!MODEL_ID.test(input.model)) throw bad(`not a fal model id: ${JSON.stringify(input.model)}`);
      const mapped = mapModelInput('fal', input.entry, FAL_DEFAULT_MAPPING, { ...input, model: input.model });
      if (!MODEL_ID.test(mapped.modelId)) throw bad(`not a fal model id: ${JSON.stringify(mapped.modelId)}`);
      const body = objectOf(await http.requestJson({ method: 'POST', path: `/${mapped.modelId}`, json: mapped.input }), 'queue answer');
      const job = fresh(externalIdOf(body, mapped.modelId));
      return {
        ...job, status: 'QUEUED', rawStatus: typeof body.status === 'string' ? body.status : 'IN_QUEUE',
        queuePosition: typeof body.queue_position === 'number' ? body.queue_position : null,
        prompt: input.prompt, model: input.model, seconds: input.seconds ?? null, size: input.size ?? null,
      };
    },

    async retrieve(externalId) {
      const body = objectOf(await http.requestJson({ method: 'GET', path: `${requestPath(externalId)}/status` }), 'status');
      const job = fresh(externalId);
      const status = typeof body.status === 'string' ? body.status : null;
      if (status === 'IN_QUEUE') return { ...job, status: 'QUEUED', rawStatus: status, queuePosition: typeof body.queue_position === 'number' ? body.queue_position : null };
      if (status === 'IN_PROGRESS') return { ...job, status: 'PROCESSING', rawStatus: status };
      if (status === 'COMPLETED') {
        if (typeof body.error === 'string' && body.error !== '') {
          return { ...job, status: 'FAILED', rawStatus: status, error: http.redactText(body.error), errorCode: typeof body.error_type === 'string' ? body.error_type : 'FAILED' };
        }
        return result(externalId, job);
      }
      if (status == null) throw http.unparsable('status has no status');
      return { ...job, rawStatus: status };
    },

    async cancel(externalId): Promise<CancelOutcome> {
      try {
        await http.requestJson({ method: 'PUT', path: `${requestPath(externalId)}/cancel` });
        return 'confirmed';
      } catch (err) {
        // 400 ALREADY_COMPLETED: the request ended before the cancel arrived.
        if (err instanceof UpstreamError && err.httpStatus === 400) return 'finished';
        throw err;
      }
    },

    async list() { throw unsupported('fal', 'listing jobs'); },
    async remove() { throw unsupported('fal', 'deleting jobs'); },
    async remix() { throw unsupported('fal', 'remix'); },
    async listModels() { throw unsupported('fal', 'listing models'); },
    // fal has no endpoint to list with; a made-up request of a made-up app is "not found" once the key is taken.
    probe() { return probeMadeUpJob(() => this.retrieve(`soradesk/connection-test/requests/${randomUUID()}`)); },

    fetchContent: (target, variant, range) => streamJobVideo(http, 'fal', target, variant, range),
  };
}

/** `video.url` (most video models), `videos[0].url`, or `video` as a plain URL. */
function videoUrlOf(body: Raw): string | null {
  const video = body.video;
  if (typeof video === 'string' && video !== '') return video;
  if (video && typeof video === 'object' && typeof (video as Raw).url === 'string') return (video as { url: string }).url;
  const first = Array.isArray(body.videos) ? (body.videos[0] as Raw | undefined) : undefined;
  if (first && typeof first.url === 'string') return first.url;
  return null;
}
