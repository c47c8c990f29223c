// The gemini dialect of the demo (under /gemini): Veo's long-running operations on the Gemini API.
// POST /v1beta/models/{model}:predictLongRunning answers an operation {name}; GET /v1beta/{name} answers
// it again until `done`, with the video as a file URI on the API's own origin, which redirects to the
// media host (as Google's download redirects to storage). GET /v1beta/models lists the models.
import { randomBytes } from 'node:crypto';
import { mediaUrl, type SimContext, type SimRoute } from './sim-context';
import { HttpError, readJsonObject, sendJson } from './sim-http';
import type { SimJob } from './sim-jobs';
import { nativeModel, nativeModelIds, nativeProblem, nativeSeconds, sizeOf } from './sim-models';

const FILE_LIFETIME_MS = 2 * 24 * 3600_000;
const RESPONSE_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
/** google.rpc.Code.INTERNAL */
const RPC_INTERNAL = 13;

export function operationView(ctx: SimContext, job: SimJob): Record<string, unknown> {
  const name = `models/${job.model}/operations/${job.id}`;
  const state = ctx.jobs.state(job);
  if (state.phase === 'queued' || state.phase === 'running') return { name };
  if (state.phase === 'failed') return { name, done: true, error: { code: RPC_INTERNAL, message: job.failure!.message } };
  if (state.phase === 'cancelled') return { name, done: true, error: { code: 1, message: 'The operation was cancelled.' } };
  if (/\[filtered\]/i.test(job.prompt)) {
    return { name, done: true, response: { '@type': RESPONSE_TYPE, generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['The demo filtered this video because its prompt contains [filtered].'] } } };
  }
  const uri = `${ctx.publicApi}/gemini/v1beta/files/${job.media}:download?alt=media`;
  return { name, done: true, response: { '@type': RESPONSE_TYPE, generateVideoResponse: { generatedSamples: [{ video: { uri } }] } } };
}

export async function handleGemini(ctx: SimContext, r: SimRoute): Promise<void> {
  const { method, parts, res } = r;
  if (parts[0] !== 'v1beta') throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
  const [, collection, second, third, fourth] = parts;

  if (collection === 'models' && parts.length === 2 && method === 'GET') return sendJson(res, 200, listModels(r.url));
  if (collection === 'models' && parts.length === 3 && second.endsWith(':predictLongRunning') && method === 'POST') {
    const model = second.slice(0, -':predictLongRunning'.length);
    return sendJson(res, 200, operationView(ctx, await create(ctx, model, await readJsonObject(r.req))));
  }
  if (collection === 'models' && third === 'operations' && fourth && parts.length === 5 && method === 'GET') {
    const job = ctx.jobs.get('gemini', fourth);
    if (!job || job.model !== second) throw new HttpError(404, `Operation ${parts.slice(1).join('/')} not found.`);
    return sendJson(res, 200, operationView(ctx, job));
  }
  if (collection === 'files' && parts.length === 3 && second.endsWith(':download') && (method === 'GET' || method === 'HEAD')) {
    const job = ctx.jobs.byMedia(second.slice(0, -':download'.length));
    const state = job && job.dialect === 'gemini' ? ctx.jobs.state(job) : null;
    if (!job || state?.phase !== 'completed' || ctx.clock.now() > (state.endedAtMs ?? 0) + FILE_LIFETIME_MS) throw new HttpError(404, 'File not found.');
    res.writeHead(302, { location: mediaUrl(ctx, job, 'video'), 'cache-control': 'no-store' });
    return void res.end();
  }
  throw new HttpError(404, `no route for ${method} ${r.url.pathname}`);
}

async function create(ctx: SimContext, model: string, body: Record<string, unknown>): Promise<SimJob> {
  const native = nativeModel('gemini', model);
  if (!native) throw new HttpError(404, `models/${model} is not found for API version v1beta, or is not supported for predictLongRunning.`);
  const instances = body.instances;
  if (!Array.isArray(instances) || instances.length !== 1 || !instances[0] || typeof instances[0] !== 'object') {
    throw new HttpError(400, 'instances must hold exactly one instance');
  }
  const instance = instances[0] as Record<string, unknown>;
  if (typeof instance.prompt !== 'string' || instance.prompt.trim() === '') throw new HttpError(400, 'instances[0].prompt is required');
  const image = instance.image as Record<string, unknown> | undefined;
  if (image !== undefined && (typeof image?.bytesBase64Encoded !== 'string' || typeof image.mimeType !== 'string' || !/^image\//.test(image.mimeType))) {
    throw new HttpError(400, 'instances[0].image needs bytesBase64Encoded and an image mimeType');
  }
  const parameters = (body.parameters ?? {}) as Record<string, unknown>;
  if (typeof parameters !== 'object' || Array.isArray(parameters)) throw new HttpError(400, 'parameters must be an object');
  const problem = nativeProblem(native, parameters);
  if (problem) throw new HttpError(400, problem);
  return ctx.jobs.create({
    dialect: 'gemini', id: randomBytes(12).toString('hex'), model, prompt: instance.prompt,
    seconds: nativeSeconds(native, parameters),
    size: sizeOf(parameters.aspectRatio ?? native.defaults.aspectRatio, parameters.resolution ?? native.defaults.resolution),
  }, ctx.faults.failJobs);
}

/** Veo models (predictLongRunning) and a text model that does not make video, paged by pageSize. */
function listModels(url: URL) {
  const all = [
    ...nativeModelIds('gemini').map((id) => ({ name: `models/${id}`, displayName: id.startsWith('veo-3.1-fast') ? 'Veo 3.1 Fast' : 'Veo 3.1', supportedGenerationMethods: ['predictLongRunning'] })),
    { name: 'models/gemini-demo-text', displayName: 'A text model (demo)', supportedGenerationMethods: ['generateContent', 'countTokens'] },
  ];
  const size = Math.max(1, Math.min(1000, Number(url.searchParams.get('pageSize') ?? 50) || 50));
  const start = Number(url.searchParams.get('pageToken') ?? 0) || 0;
  const page = all.slice(start, start + size);
  return start + size < all.length ? { models: page, nextPageToken: String(start + size) } : { models: page };
}
