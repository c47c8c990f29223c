// The `gemini` dialect: Veo on the Gemini API. A creation is a long-running operation
// (POST /v1beta/models/{model}:predictLongRunning) polled at GET /v1beta/{name} until `done`; the video
// is a file URI, downloaded with the key only when it is on the provider's own origin (its redirect to
// storage gets none). No progress number, no list of operations with their prompts, no cancel.
import { aspectRatioOf, resolutionOf } from '@shared/contract/model-rules';
import { streamJobVideo, type JsonReply, type UpstreamHttp } from './http';
import { referenceBytes } from './input-reference';
import { listedEntry } from './catalog/model-catalog';
import { unsupported, UpstreamError, type CreateJobInput, type ProviderClient, type UpstreamJob } from './provider-client';

/** Generated files are deleted about two days after they are made. */
export const GEMINI_FILE_LIFETIME_MS = 2 * 24 * 3600_000;
/** google.rpc.Code.CANCELLED */
const RPC_CANCELLED = 1;

type Raw = Record<string, unknown>;

export function createGeminiClient(http: UpstreamHttp): ProviderClient {
  const now = http.now;
  const opPath = (name: string) => {
    const segments = name.replace(/^\/+/, '').split('/');
    if (segments.length < 2 || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new UpstreamError('BAD_REQUEST', `not a Gemini operation name: ${JSON.stringify(name)}`, { transient: false, reached: 'no' });
    }
    return `/v1beta/${segments.map(encodeURIComponent).join('/')}`;
  };

  const operation = (reply: JsonReply, fallbackName: string | null, justCreated: boolean): UpstreamJob => {
    const o = reply.body;
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw http.unparsable(o === undefined ? 'body is not JSON' : 'body is not an operation');
    const op = o as Raw;
    const name = typeof op.name === 'string' && op.name !== '' ? op.name : fallbackName;
    if (!name) throw http.unparsable('operation has no name');
    return parseOperation(op, name, justCreated, (text) => http.redactText(text), now);
  };

  return {
    dialect: 'gemini',
    supportsList: false,
    supportsRemix: false,
    supportsCancel: false,
    supportsModelList: true,

    async create(input: CreateJobInput) {
      const model = (input.model ?? '').replace(/^models\//, '');
      if (!model) throw new UpstreamError('BAD_REQUEST', 'the gemini dialect needs a model (for example veo-3.1-fast-generate-001)', { transient: false, reached: 'no' });
      const instance: Raw = { prompt: input.prompt };
      if (input.inputReference) {
        const { base64, mimeType } = referenceBytes(input.inputReference, 'gemini');
        instance.image = { bytesBase64Encoded: base64, mimeType };
      }
      const parameters: Raw = { ...(input.entry?.mapping?.fixed ?? {}) };
      if (input.size) {
        parameters.aspectRatio = aspectRatioOf(input.size);
        parameters.resolution = resolutionOf(input.size);
      }
      if (input.seconds) parameters.durationSeconds = Number(input.seconds);
      const reply = await http.requestJson({
        method: 'POST', path: `/v1beta/models/${encodeURIComponent(model)}:predictLongRunning`, json: { instances: [instance], parameters },
      });
      return { ...operation(reply, null, true), prompt: input.prompt, model, seconds: input.seconds ?? null, size: input.size ?? null };
    },

    async retrieve(externalId) {
      return operation(await http.requestJson({ method: 'GET', path: opPath(externalId) }), externalId, false);
    },

    async list() { throw unsupported('gemini', 'listing jobs'); },
    async remove() { throw unsupported('gemini', 'deleting jobs'); },
    async remix() { throw unsupported('gemini', 'remix'); },
    async cancel() { throw unsupported('gemini', 'cancelling a job upstream'); },
    async probe() { await http.requestJson({ method: 'GET', path: '/v1beta/models', query: { pageSize: 1 } }); },

    async listModels() {
      const entries = [];
      let pageToken: string | undefined;
      for (let page = 0; page < 10; page++) {
        const reply = await http.requestJson({ method: 'GET', path: '/v1beta/models', query: { pageSize: 1000, pageToken } });
        const body = reply.body as { models?: unknown; nextPageToken?: unknown } | undefined;
        if (!body || (body.models !== undefined && !Array.isArray(body.models))) throw http.unparsable('models list has no models array');
        for (const m of (body.models as Raw[] | undefined) ?? []) {
          const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods : [];
          if (typeof m.name !== 'string' || !methods.includes('predictLongRunning')) continue;
          entries.push(listedEntry(m.name.replace(/^models\//, ''), typeof m.displayName === 'string' ? m.displayName : null));
        }
        if (typeof body.nextPageToken !== 'string' || body.nextPageToken === '') break;
        pageToken = body.nextPageToken;
      }
      return entries;
    },

    fetchContent: (target, variant, range) => streamJobVideo(http, 'gemini', target, variant, range),
  };
}

function parseOperation(op: Raw, name: string, justCreated: boolean, redact: (text: string) => string, now: () => number): UpstreamJob {
  const job: UpstreamJob = {
    externalId: name, status: null, rawStatus: null, progress: null, videoUrl: null, thumbnailUrl: null, error: null, errorCode: null,
    prompt: null, model: /^models\/([^/]+)\//.exec(name)?.[1] ?? null, seconds: null, size: null, createdAt: null, completedAt: null,
    expiresAt: null, remixOf: null, pollAfterMs: null, queuePosition: null,
  };
  if (op.done !== true) {
    // The API does not tell waiting from running: a fresh operation is queued, a polled one running.
    return { ...job, status: justCreated ? 'QUEUED' : 'PROCESSING', rawStatus: 'done:false' };
  }
  const error = op.error as { code?: unknown; message?: unknown; status?: unknown } | undefined;
  if (error && typeof error === 'object') {
    const code = typeof error.code === 'number' ? error.code : null;
    const message = redact(typeof error.message === 'string' && error.message !== '' ? error.message : 'The operation failed');
    if (code === RPC_CANCELLED) return { ...job, status: 'CANCELLED', rawStatus: 'done:error', error: message, errorCode: 'CANCELLED' };
    const errorCode = typeof error.status === 'string' ? error.status : code != null ? String(code) : null;
    return { ...job, status: 'FAILED', rawStatus: 'done:error', error: message, errorCode };
  }
  const response = (op.response as Raw | undefined)?.generateVideoResponse as Raw | undefined;
  const samples = Array.isArray(response?.generatedSamples) ? (response.generatedSamples as Raw[]) : [];
  const uri = samples.map((s) => (s.video as Raw | undefined)?.uri).find((u): u is string => typeof u === 'string' && u !== '');
  if (uri) {
    const at = now();
    return { ...job, status: 'COMPLETED', rawStatus: 'done', videoUrl: uri, completedAt: at, expiresAt: at + GEMINI_FILE_LIFETIME_MS };
  }
  const reasons = Array.isArray(response?.raiMediaFilteredReasons) ? (response.raiMediaFilteredReasons as unknown[]).filter((r) => typeof r === 'string') : [];
  if (reasons.length > 0) return { ...job, status: 'FAILED', rawStatus: 'done', error: redact(reasons.join(' ')), errorCode: 'RAI_MEDIA_FILTERED' };
  return { ...job, status: 'FAILED', rawStatus: 'done', error: 'The operation finished without a video', errorCode: 'NO_VIDEO' };
}
