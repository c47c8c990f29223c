// The `openai` dialect: the OpenAI Videos API and the relays that copy it.
import type { ModelEntry } from '@shared/contract/model';
import { listedEntry } from './catalog/model-catalog';
import type { ContentResponse, CreateJobInput, ProviderClient, UpstreamJob } from './provider-client';
import { unsupported, UpstreamError } from './provider-client';
import type { UpstreamHttp, JsonReply } from './http';
import { jobObject, parseJob, pollAfter } from './job-parse';
import { createFields, referenceBody } from './input-reference';

export function createOpenAiClient(http: UpstreamHttp): ProviderClient {
  const job = (reply: JsonReply, fallbackId: string | null): UpstreamJob => {
    const o = jobObject(reply.body);
    if (!o) throw http.unparsable(reply.body === undefined ? 'body is not JSON' : 'body is not a job object');
    if (o.status == null) throw http.unparsable('job has no status');
    const parsed = parseJob(o, fallbackId, pollAfter(reply.headers));
    if (!parsed) throw http.unparsable('job has no id');
    return parsed;
  };
  const videoPath = (id: string) => `/v1/videos/${encodeURIComponent(id)}`;

  return {
    dialect: 'openai',
    supportsList: true,
    supportsRemix: true,
    // OpenAI's Videos API had no cancel; DELETE removes a finished video, it does not stop a job.
    supportsCancel: false,
    supportsModelList: true,

    async create(input: CreateJobInput) {
      const fields = createFields(input);
      const ref = input.inputReference ? referenceBody(input.inputReference) : null;
      if (ref?.kind === 'file') {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append('input_reference', ref.blob, ref.fileName);
        return job(await http.requestJson({ method: 'POST', path: '/v1/videos', form }), null);
      }
      const json = ref ? { ...fields, input_reference: ref.json } : fields;
      return job(await http.requestJson({ method: 'POST', path: '/v1/videos', json }), null);
    },

    async retrieve(externalId) {
      return job(await http.requestJson({ method: 'GET', path: videoPath(externalId) }), externalId);
    },

    async list(opts = {}) {
      const reply = await http.requestJson({
        method: 'GET', path: '/v1/videos', query: { limit: opts.limit, after: opts.after, order: 'desc' },
      });
      const body = reply.body as { data?: unknown; has_more?: unknown; last_id?: unknown } | undefined;
      if (!body || !Array.isArray(body.data)) throw http.unparsable('list has no data array');
      const jobs: UpstreamJob[] = [];
      for (const item of body.data) {
        const o = jobObject(item);
        const parsed = o ? parseJob(o, null, null) : null;
        if (parsed) jobs.push(parsed);
      }
      const lastId = typeof body.last_id === 'string' ? body.last_id : jobs.at(-1)?.externalId ?? null;
      return { jobs, hasMore: body.has_more === true, lastId };
    },

    async remove(externalId) {
      await http.requestJson({ method: 'DELETE', path: videoPath(externalId) });
    },

    async remix(externalId, prompt) {
      return job(await http.requestJson({ method: 'POST', path: `${videoPath(externalId)}/remix`, json: { prompt } }), null);
    },

    async cancel() { throw unsupported('openai', 'cancelling a job upstream'); },
    async probe() { await this.list({ limit: 1 }); },

    /** GET /v1/models; where a relay says which models make video, only those. */
    async listModels(): Promise<ModelEntry[]> {
      const reply = await http.requestJson({ method: 'GET', path: '/v1/models' });
      const body = reply.body as { data?: unknown } | undefined;
      if (!body || !Array.isArray(body.data)) throw http.unparsable('models list has no data array');
      const models = body.data.filter((m): m is Record<string, unknown> => Boolean(m) && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'string');
      const hinted = models.filter((m) => modalityHint(m) !== null);
      const video = hinted.length > 0 ? hinted.filter((m) => /video/i.test(modalityHint(m) ?? '')) : models;
      return video.map((m) => listedEntry(m.id as string, typeof m.name === 'string' ? m.name : null));
    },

    async fetchContent(target, variant, range): Promise<ContentResponse> {
      // A relay may hand out a direct URL; on another origin it is fetched without the key. A stored URL
      // that is this job's content endpoint is built again from the base instead: the base may have moved
      // (the demo simulator after a restart) and must not be looked for where it used to be.
      if (variant === 'video' && target.videoUrl) {
        const u = new URL(target.videoUrl, http.url('/'));
        const contentEndpoint = Boolean(target.externalId) && u.pathname.endsWith(`${videoPath(target.externalId)}/content`);
        if (!contentEndpoint && u.origin !== http.origin) return http.stream(target.videoUrl, range);
      }
      if (!target.externalId) throw new UpstreamError('NOT_FOUND', 'job has no upstream id', { transient: false, reached: 'no' });
      const path = `${videoPath(target.externalId)}/content${variant === 'thumbnail' ? '?variant=thumbnail' : ''}`;
      return http.stream(path, range);
    },
  };
}

/** What a relay says a model makes, when it says (type, modality, output_modalities). */
function modalityHint(m: Record<string, unknown>): string | null {
  for (const k of ['type', 'modality', 'output_modalities', 'modalities']) {
    const v = m[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').join(' ');
  }
  return null;
}
