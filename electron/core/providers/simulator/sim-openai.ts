// The openai dialect of the demo, as a relay keeps it: the /v1/videos shape of OpenAI's schema (views are
// VideoResource objects) serving other models than Sora, each with its own durations and sizes, and a model
// list at /v1/models.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimContext, SimRoute } from './sim-context';
import { HttpError, MAX_MULTIPART_BYTES, readBody, readJsonObject, sendJson } from './sim-http';
import type { SimJob } from './sim-jobs';
import { sendMedia } from './sim-media';
import { RELAY_MODELS } from './sim-models';

const EXPIRY_S = 24 * 3600;
const MAX_PROMPT = 32_000;

export interface VideoResource {
  id: string;
  object: 'video';
  model: string;
  status: string;
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  prompt: string | null;
  size: string;
  seconds: string;
  remixed_from_video_id: string | null;
  error: { code: string; message: string } | null;
}

const STATUS = { queued: 'queued', running: 'in_progress', completed: 'completed', failed: 'failed', cancelled: 'failed' } as const;

export function videoView(ctx: SimContext, job: SimJob): VideoResource {
  const state = ctx.jobs.state(job);
  const completedAt = state.phase === 'completed' && state.endedAtMs != null ? Math.floor(state.endedAtMs / 1000) : null;
  return {
    id: job.id, object: 'video', model: job.model, status: ctx.faults.unknownStatus ?? STATUS[state.phase], progress: state.progress,
    created_at: Math.floor(job.createdAtMs / 1000), completed_at: completedAt, expires_at: completedAt == null ? null : completedAt + EXPIRY_S,
    prompt: job.prompt, size: job.size, seconds: String(job.seconds), remixed_from_video_id: job.remixOf,
    error: state.phase === 'failed' ? { ...job.failure! } : null,
  };
}

export async function handleOpenAi(ctx: SimContext, r: SimRoute): Promise<void> {
  const { method, parts, res } = r;
  const send = (job: SimJob) => sendJson(res, 200, videoView(ctx, job), { 'openai-poll-after-ms': ctx.pollAfterMs });
  if (parts[0] !== 'v1') throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
  if (parts[1] === 'models' && parts.length === 2 && method === 'GET') {
    return sendJson(res, 200, { object: 'list', data: Object.keys(RELAY_MODELS).map((id) => ({ id, object: 'model', created: 1764547200, owned_by: 'soradesk-demo', type: 'video' })) });
  }
  if (parts[1] !== 'videos' || parts.length > 4) throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
  const [, , id, action] = parts;
  if (!id) {
    if (method === 'POST') return send(await createVideo(ctx, r.req));
    if (method === 'GET') return sendJson(res, 200, listVideos(ctx, r.url));
    throw new HttpError(405, `${method} is not allowed here`);
  }
  const job = ctx.jobs.get('openai', id);
  if (!job) throw new HttpError(404, `Video with id '${id}' not found.`, { code: 'video_not_found', param: 'video_id' });
  if (!action) {
    if (method === 'GET') return send(job);
    if (method === 'DELETE') {
      ctx.jobs.delete('openai', id);
      return sendJson(res, 200, { id, object: 'video.deleted', deleted: true });
    }
    throw new HttpError(405, `${method} is not allowed here`);
  }
  if (action === 'remix' && method === 'POST') {
    const body = await readJsonObject(r.req);
    const prompt = checkPrompt(body.prompt);
    return send(ctx.jobs.create({ dialect: 'openai', id: newVideoId(), prompt, model: job.model, size: job.size, seconds: job.seconds, remixOf: job.id }, ctx.faults.failJobs));
  }
  if (action === 'content' && (method === 'GET' || method === 'HEAD')) {
    const variant = r.url.searchParams.get('variant') ?? 'video';
    if (variant !== 'video' && variant !== 'thumbnail') throw new HttpError(400, `variant '${variant}' is not available from the demo`, { param: 'variant' });
    if (ctx.jobs.state(job).phase !== 'completed') throw new HttpError(404, 'Video is not ready yet: its status must be completed.', { code: 'video_not_ready' });
    if (variant === 'thumbnail') return sendMedia(r.req, res, ctx.media.thumbnail, 'image/jpeg');
    return sendMedia(r.req, res, ctx.media.video, 'video/mp4');
  }
  throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
}

async function createVideo(ctx: SimContext, req: IncomingMessage): Promise<SimJob> {
  const type = req.headers['content-type'] ?? '';
  let fields: Record<string, unknown>;
  if (/^multipart\/form-data/i.test(type)) {
    const raw = await readBody(req, MAX_MULTIPART_BYTES);
    let form: FormData;
    try {
      form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
    } catch {
      throw new HttpError(400, 'malformed multipart body');
    }
    fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
    const ref = form.get('input_reference');
    if (ref !== null && typeof ref !== 'string' && ref.size === 0) throw new HttpError(400, 'input_reference file is empty', { param: 'input_reference' });
  } else {
    fields = await readJsonObject(req);
    const ref = fields.input_reference as Record<string, unknown> | undefined;
    if (ref !== undefined && (typeof ref !== 'object' || ref === null || Boolean(ref.image_url) === Boolean(ref.file_id))) {
      throw new HttpError(400, 'input_reference must have exactly one of image_url or file_id', { param: 'input_reference' });
    }
  }
  const prompt = checkPrompt(fields.prompt);
  const model = fields.model === undefined ? Object.keys(RELAY_MODELS)[0] : fields.model;
  if (typeof model !== 'string' || model === '') throw new HttpError(400, 'model must be a string', { param: 'model' });
  const spec = RELAY_MODELS[model];
  if (!spec) throw new HttpError(400, `The model '${model}' does not exist or is not served here; models: ${Object.keys(RELAY_MODELS).join(', ')}.`, { code: 'model_not_found', param: 'model' });
  const allowed = Array.isArray(spec.seconds) ? spec.seconds : range(spec.seconds.min, spec.seconds.max);
  const seconds = fields.seconds === undefined ? allowed[0] : Number(fields.seconds);
  if (!allowed.includes(seconds)) {
    throw new HttpError(400, `Invalid value for 'seconds': ${model} makes ${Array.isArray(spec.seconds) ? allowed.join(', ') : `${spec.seconds.min} to ${spec.seconds.max}`} seconds.`, { code: 'invalid_value', param: 'seconds' });
  }
  const size = fields.size === undefined ? spec.sizes[0] : String(fields.size);
  if (!spec.sizes.includes(size)) throw new HttpError(400, `Invalid value for 'size': ${model} makes ${spec.sizes.join(', ')}.`, { code: 'invalid_value', param: 'size' });
  return ctx.jobs.create({ dialect: 'openai', id: newVideoId(), prompt, model, size, seconds }, ctx.faults.failJobs);
}

function listVideos(ctx: SimContext, url: URL) {
  const limitRaw = url.searchParams.get('limit');
  const limit = limitRaw === null ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw new HttpError(400, 'limit must be an integer from 0 to 100', { param: 'limit' });
  const order = url.searchParams.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new HttpError(400, "order must be 'asc' or 'desc'", { param: 'order' });
  const all = ctx.jobs.newestFirst('openai');
  if (order === 'asc') all.reverse();
  const after = url.searchParams.get('after');
  const start = after ? all.findIndex((j) => j.id === after) + 1 : 0;
  // An unknown `after` gives an empty page rather than starting over.
  const page = after && start === 0 ? [] : all.slice(start, start + limit);
  const data = page.map((j) => videoView(ctx, j));
  const hasMore = !(after && start === 0) && start + limit < all.length;
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}

function checkPrompt(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new HttpError(400, "Missing required parameter: 'prompt'.", { code: 'missing_required_parameter', param: 'prompt' });
  if (v.length > MAX_PROMPT) throw new HttpError(400, `prompt is longer than ${MAX_PROMPT} characters`, { param: 'prompt' });
  return v;
}

const newVideoId = () => `video_${randomBytes(12).toString('hex')}`;
const range = (min: number, max: number) => Array.from({ length: max - min + 1 }, (_, i) => min + i);
