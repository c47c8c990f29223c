// The fal dialect of the demo (under /fal): the queue API. POST /{modelId} queues a request; status,
// result and cancel live under the model's app (its first two path segments) at /requests/{id}. A finished
// request's result names its video on the media host.
import { randomUUID } from 'node:crypto';
import { mediaUrl, type SimContext, type SimRoute } from './sim-context';
import { HttpError, readJsonObject, sendJson } from './sim-http';
import type { SimJob } from './sim-jobs';
import { nativeModel, nativeProblem, nativeSeconds, sizeOf } from './sim-models';

const STATUS = { queued: 'IN_QUEUE', running: 'IN_PROGRESS', completed: 'COMPLETED', failed: 'COMPLETED', cancelled: 'COMPLETED' } as const;

const appOf = (modelId: string) => modelId.split('/').slice(0, 2).join('/');

function urls(ctx: SimContext, job: SimJob) {
  const base = `${ctx.publicApi}/fal/${appOf(job.model)}/requests/${job.id}`;
  return { request_id: job.id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
}

export function falStatusView(ctx: SimContext, job: SimJob): Record<string, unknown> {
  const state = ctx.jobs.state(job);
  const status = STATUS[state.phase];
  const view: Record<string, unknown> = { status, ...urls(ctx, job) };
  if (status === 'IN_QUEUE') {
    // Queued requests made before this one (the store keeps creation order).
    const older = ctx.jobs.newestFirst('fal').reverse();
    view.queue_position = older.slice(0, older.indexOf(job)).filter((j) => ctx.jobs.state(j).phase === 'queued').length;
  } else {
    view.logs = [];
  }
  if (state.phase === 'failed') Object.assign(view, { error: job.failure!.message, error_type: job.failure!.code });
  if (state.phase === 'cancelled') Object.assign(view, { error: 'The request was cancelled.', error_type: 'request_cancelled' });
  if (status === 'COMPLETED') view.metrics = { inference_time: state.startedAtMs != null && state.endedAtMs != null ? (state.endedAtMs - state.startedAtMs) / 1000 : null };
  return view;
}

export async function handleFal(ctx: SimContext, r: SimRoute): Promise<void> {
  const { method, parts, res } = r;
  const at = parts.indexOf('requests');
  if (at < 0) {
    if (method !== 'POST' || parts.length < 2) throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
    const job = await create(ctx, parts.join('/'), await readJsonObject(r.req));
    return sendJson(res, 200, { status: 'IN_QUEUE', ...urls(ctx, job), queue_position: falStatusView(ctx, job).queue_position ?? 0 });
  }
  const app = parts.slice(0, at).join('/');
  const [id, action] = parts.slice(at + 1);
  const job = id ? ctx.jobs.get('fal', id) : undefined;
  if (!job || appOf(job.model) !== app || parts.length > at + 3) throw new HttpError(404, `Request ${id ?? ''} not found.`);
  if (action === 'status' && method === 'GET') return sendJson(res, 200, falStatusView(ctx, job));
  if (action === undefined && method === 'GET') return sendResult(ctx, r, job);
  if (action === 'cancel' && method === 'PUT') {
    return ctx.jobs.cancel(job) ? sendJson(res, 202, { status: 'CANCELLATION_REQUESTED' }) : sendJson(res, 400, { status: 'ALREADY_COMPLETED' });
  }
  throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
}

function sendResult(ctx: SimContext, r: SimRoute, job: SimJob): void {
  const state = ctx.jobs.state(job);
  if (state.phase === 'queued' || state.phase === 'running') throw new HttpError(400, 'Request is still in progress.');
  if (state.phase === 'cancelled') throw new HttpError(400, 'The request was cancelled.');
  if (state.phase === 'failed') {
    return sendJson(r.res, 422, { detail: [{ loc: ['body'], msg: job.failure!.message, type: job.failure!.code }] });
  }
  sendJson(r.res, 200, { video: { url: mediaUrl(ctx, job, 'video'), content_type: 'video/mp4', file_name: `${job.id}.mp4`, file_size: ctx.media.video.length } });
}

async function create(ctx: SimContext, modelId: string, input: Record<string, unknown>): Promise<SimJob> {
  const native = nativeModel('fal', modelId);
  if (!native) throw new HttpError(404, `Application '${modelId}' not found.`);
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') throw new HttpError(422, 'prompt: Field required');
  if (modelId.endsWith('/image-to-video') && typeof input.image_url !== 'string') throw new HttpError(422, 'image_url: Field required');
  if (input.image_url !== undefined && (typeof input.image_url !== 'string' || !/^(https?:|data:image\/)/i.test(input.image_url))) {
    throw new HttpError(422, 'image_url: must be a URL or an image data URI');
  }
  const problem = nativeProblem(native, input);
  if (problem) throw new HttpError(422, problem);
  return ctx.jobs.create({
    dialect: 'fal', id: randomUUID(), model: modelId, prompt: input.prompt, seconds: nativeSeconds(native, input),
    size: sizeOf(input.aspect_ratio ?? native.defaults.aspect_ratio, input.resolution ?? native.defaults.resolution),
  }, ctx.faults.failJobs);
}
