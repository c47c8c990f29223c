// The `sora` dialect of the origin document: create and retrieve only, raw key in Authorization.
import type { ContentResponse, CreateJobInput, ProviderClient, UpstreamJob } from './provider-client';
import { randomUUID } from 'node:crypto';
import { probeMadeUpJob, unsupported as notIn, UpstreamError } from './provider-client';
import type { JsonReply, UpstreamHttp } from './http';
import { jobObject, parseJob, pollAfter } from './job-parse';
import { createFields } from './input-reference';

export function createSoraClient(http: UpstreamHttp): ProviderClient {
  const job = (reply: JsonReply, fallbackId: string | null): UpstreamJob => {
    const o = jobObject(reply.body);
    if (!o) throw http.unparsable(reply.body === undefined ? 'body is not JSON' : 'body is not a job object');
    // A retrieve must say where the job is; a creation must at least name the job.
    if (fallbackId != null && o.status == null) throw http.unparsable('job has no status');
    const parsed = parseJob(o, fallbackId, pollAfter(reply.headers));
    if (!parsed) throw http.unparsable('job has no id');
    return parsed;
  };
  const unsupported = (what: string) => notIn('sora', what);

  return {
    dialect: 'sora',
    supportsList: false,
    supportsRemix: false,
    supportsCancel: false,
    supportsModelList: false,

    async create(input: CreateJobInput) {
      const json: Record<string, unknown> = createFields(input);
      // The origin's relay takes a reference image as a plain URL string.
      const ref = input.inputReference;
      const refUrl = typeof ref === 'string' ? ref : ref?.imageUrl;
      if (refUrl) json.input_reference = refUrl;
      return job(await http.requestJson({ method: 'POST', path: '/sora/v1/videos', json }), null);
    },

    async retrieve(externalId) {
      return job(await http.requestJson({ method: 'GET', path: `/sora/v1/videos/${encodeURIComponent(externalId)}` }), externalId);
    },

    async list() { throw unsupported('listing jobs'); },
    async remove() { throw unsupported('deleting jobs'); },
    async remix() { throw unsupported('remix'); },
    async cancel() { throw unsupported('cancelling a job upstream'); },
    async listModels() { throw unsupported('listing models'); },
    probe() { return probeMadeUpJob(() => this.retrieve(`soradesk-connection-test-${randomUUID()}`)); },

    async fetchContent(target, variant, range): Promise<ContentResponse> {
      if (variant === 'thumbnail') throw unsupported('thumbnails');
      if (!target.videoUrl) throw new UpstreamError('NOT_FOUND', 'the job has no video URL yet', { transient: false, reached: 'no' });
      // http.stream attaches the key only when the URL is on the provider's own origin.
      return http.stream(target.videoUrl, range);
    },
  };
}
