// The replicate dialect of the demo (under /replicate): predictions of official models. The output is a
// URL on the media host that stops working an hour after the prediction ends, as Replicate's delivery
// URLs do; the list is newest first, 100 a page, with a cursor and created_after.
import { randomBytes } from 'node:crypto';
import { mediaUrl, type SimContext, type SimRoute } from './sim-context';
import { HttpError, readJsonObject, sendJson } from './sim-http';
import type { SimJob } from './sim-jobs';
import { nativeModel, nativeProblem, nativeSeconds, sizeOf } from './sim-models';

export const OUTPUT_LIFETIME_MS = 3600_000;
const PAGE = 100;
const STATUS = { queued: 'starting', running: 'processing', completed: 'succeeded', failed: 'failed', cancelled: 'canceled' } as const;

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

export function predictionView(ctx: SimContext, job: SimJob): Record<string, unknown> {
  const state = ctx.jobs.state(job);
  const get = `${ctx.publicApi}/replicate/v1/predictions/${job.id}`;
  const removed = state.phase === 'completed' && ctx.clock.now() > (state.endedAtMs ?? 0) + OUTPUT_LIFETIME_MS;
  return {
    id: job.id, model: job.model, version: 'hidden', input: job.input ?? { prompt: job.prompt },
    output: state.phase === 'completed' ? mediaUrl(ctx, job, 'video') : null,
    error: state.phase === 'failed' ? job.failure!.message : null,
    logs: logsFor(state.phase, state.progress), status: ctx.faults.unknownStatus ?? STATUS[state.phase],
    created_at: iso(job.createdAtMs), started_at: iso(state.startedAtMs), completed_at: iso(state.endedAtMs),
    data_removed: removed, source: 'api',
    metrics: state.startedAtMs != null && state.endedAtMs != null ? { predict_time: (state.endedAtMs - state.startedAtMs) / 1000 } : {},
    urls: { get, cancel: `${get}/cancel`, web: `${ctx.publicApi}/replicate/p/${job.id}` },
  };
}

/** A model printing its progress as a bar, as many video models on Replicate do. */
function logsFor(phase: string, progress: number): string {
  if (phase === 'queued') return '';
  const lines = ['Starting video generation'];
  for (let p = 10; p <= Math.min(progress, 100); p += 10) lines.push(`${String(p).padStart(3)}%|${'█'.repeat(p / 10).padEnd(10)}| ${p / 2}/50`);
  if (progress % 10 !== 0 && progress < 100) lines.push(`${String(progress).padStart(3)}%|${'█'.repeat(Math.floor(progress / 10)).padEnd(10)}| ${Math.floor(progress / 2)}/50`);
  return lines.join('\n');
}

export async function handleReplicate(ctx: SimContext, r: SimRoute): Promise<void> {
  const { method, parts, res } = r;
  if (parts[0] !== 'v1') throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
  if (parts[1] === 'models' && parts.length === 5 && parts[4] === 'predictions' && method === 'POST') {
    const job = await create(ctx, `${parts[2]}/${parts[3]}`, await readJsonObject(r.req));
    return sendJson(res, 201, predictionView(ctx, job));
  }
  if (parts[1] !== 'predictions' || parts.length > 4) throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
  const [, , id, action] = parts;
  if (!id) {
    if (method === 'GET') return sendJson(res, 200, list(ctx, r.url));
    if (method === 'POST') {
      await readJsonObject(r.req);
      throw new HttpError(422, 'The demo serves official models only: use /v1/models/{owner}/{name}/predictions.');
    }
    throw new HttpError(405, `${method} is not allowed here`);
  }
  const job = ctx.jobs.get('replicate', id);
  if (!job) throw new HttpError(404, 'Not found.', { type: 'Not found' });
  if (!action && method === 'GET') return sendJson(res, 200, predictionView(ctx, job));
  if (action === 'cancel' && method === 'POST') {
    ctx.jobs.cancel(job);
    return sendJson(res, 200, predictionView(ctx, job));
  }
  throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
}

async function create(ctx: SimContext, model: string, body: Record<string, unknown>): Promise<SimJob> {
  const native = nativeModel('replicate', model);
  if (!native) throw new HttpError(404, `The model ${model} does not exist, or you do not have access to it.`, { type: 'Not found' });
  const input = body.input;
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new HttpError(422, 'input is required', { type: 'Invalid input' });
  const fields = input as Record<string, unknown>;
  if (typeof fields.prompt !== 'string' || fields.prompt.trim() === '') throw new HttpError(422, 'input.prompt is required', { type: 'Invalid input' });
  for (const k of ['image', 'start_image', 'first_frame_image']) {
    const v = fields[k];
    if (v !== undefined && (typeof v !== 'string' || !/^(https?:|data:image\/)/i.test(v))) throw new HttpError(422, `input.${k}: must be a URL or an image data URL`, { type: 'Invalid input' });
  }
  const problem = nativeProblem(native, fields);
  if (problem) throw new HttpError(422, `input: ${problem}`, { type: 'Invalid input' });
  return ctx.jobs.create({
    dialect: 'replicate', id: newPredictionId(), model, prompt: fields.prompt, seconds: nativeSeconds(native, fields),
    size: sizeOf(fields.aspect_ratio ?? native.defaults.aspect_ratio ?? '16:9', fields.resolution ?? native.defaults.resolution ?? '1080p'),
    input: fields,
  }, ctx.faults.failJobs);
}

function list(ctx: SimContext, url: URL) {
  const createdAfter = url.searchParams.get('created_after');
  const after = createdAfter ? Date.parse(createdAfter) : null;
  if (createdAfter && Number.isNaN(after)) throw new HttpError(400, 'created_after must be an ISO 8601 date-time');
  const all = ctx.jobs.newestFirst('replicate').filter((j) => after == null || j.createdAtMs >= after);
  const cursor = url.searchParams.get('cursor');
  const start = cursor ? all.findIndex((j) => j.id === cursor) + 1 : 0;
  if (cursor && start === 0) throw new HttpError(400, 'invalid cursor');
  const page = all.slice(start, start + PAGE);
  const more = start + PAGE < all.length;
  const next = more ? `${ctx.publicApi}/replicate/v1/predictions?cursor=${page.at(-1)!.id}${createdAfter ? `&created_after=${encodeURIComponent(createdAfter)}` : ''}` : null;
  return { next, previous: null, results: page.map((j) => predictionView(ctx, j)) };
}

/** 26 lowercase base32 characters, like Replicate's ids. */
function newPredictionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}
