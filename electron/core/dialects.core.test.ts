// Each new dialect through the whole service, as a client meets it over the WebSocket: a provider with a key,
// against a local upstream built from the published schemas (the simulator: real HTTP on 127.0.0.1, its second
// port the media host). A job completes and its video lands in the library byte for byte; a failed job shows
// the upstream's words; Cancel reaches the cancel endpoint (or says the job runs on); a creation outside the
// model's catalog entry is refused before anything is sent; the key reaches the API and nothing else.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProviderView } from '@shared/contract/provider';
import type { TaskView } from '@shared/contract/task';
import { defaultSampleDir } from './providers/simulator/sim-media';
import { useCoreAndUpstream } from './test-support/core-and-upstream';

const KEY = 'test-key-0123456789abcdef';
const env = useCoreAndUpstream({ jobDurationMs: 600, pollIntervalMs: 250 });

const payload = <T>(m: { payload: unknown }) => m.payload as T;
async function provider(dialect: 'gemini' | 'fal' | 'replicate'): Promise<ProviderView> {
  const reply = await env.api.request('saveProvider', { name: `My ${dialect}`, dialect, baseUrl: env.sim.urls[dialect], apiKey: KEY });
  return payload<{ provider: ProviderView }>(reply).provider;
}
async function create(p: Record<string, unknown>): Promise<TaskView> {
  const reply = await env.api.request('createTask', p);
  expect(reply.type).toBe('taskCreated');
  return payload<{ task: TaskView }>(reply).task;
}
const updateOf = (videoId: string, cond: (t: TaskView) => boolean) =>
  env.api.waitFor((m) => m.type === 'taskUpdated' && payload<TaskView>(m).videoId === videoId && cond(payload<TaskView>(m)), { includePast: true }).then((m) => payload<TaskView>(m));

describe.each(['gemini', 'fal', 'replicate'] as const)('%s through the service', (dialect) => {
  it('completes a job into the library byte for byte, the key only at the API', async () => {
    const p = await provider(dialect);
    const model = p.models[0];
    const size = model.sizes[0];
    const task = await create({ providerId: p.id, prompt: `A calico cat playing a piano (${dialect})`, model: model.id, size, seconds: String(Array.isArray(model.seconds) ? model.seconds[0] : model.seconds.min) });
    const kept = await updateOf(task.videoId, (t) => t.localPath !== null);
    expect(kept).toMatchObject({ status: 'COMPLETED', progress: 100, model: model.id, size });
    expect(fs.readFileSync(kept.localPath!).equals(fs.readFileSync(path.join(defaultSampleDir(), 'sample.mp4')))).toBe(true);
    const mine = env.sim.requests.filter((r) => r.path.startsWith(`/${dialect}/`));
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.every((r) => r.keyed)).toBe(true);
    expect(env.sim.mediaRequests.length).toBeGreaterThan(0);
    expect(JSON.stringify(env.sim.mediaRequests)).not.toContain(KEY);
  });

  it('shows a failed job with the upstream\'s words', async () => {
    const p = await provider(dialect);
    const task = await create({ providerId: p.id, prompt: 'a cat [fail]' });
    const failed = await updateOf(task.videoId, (t) => t.status === 'FAILED');
    expect(failed.error).toContain('The demo simulator failed this job because its prompt contains [fail].');
  });

  it('refuses a creation outside the model\'s entry, naming the allowed values, and sends nothing', async () => {
    const p = await provider(dialect);
    const before = env.sim.requests.length;
    const reply = await env.api.request('createTask', { providerId: p.id, prompt: 'p', model: p.models[0].id, seconds: 3, size: '1000x1000' });
    expect(reply.type).toBe('error');
    expect(payload<{ code: string; message: string }>(reply)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/allowed: .*(1280x720|1920x1080)/) });
    expect(env.sim.requests.length).toBe(before);
  });

  it('cancels at the upstream where it can, and says when the job runs on', async () => {
    const p = await provider(dialect);
    const task = await create({ providerId: p.id, prompt: 'a cat [slow]' });
    await updateOf(task.videoId, (t) => t.externalId !== null);
    const reply = await env.api.request('cancelTask', { videoId: task.videoId });
    const cancelled = payload<TaskView>(reply);
    expect(cancelled.status).toBe('CANCELLED');
    if (dialect === 'gemini') {
      expect(cancelled.upstreamCancel).toBe('unsupported');
    } else {
      expect(cancelled.upstreamCancel).toBe('confirmed');
      const cancel = env.sim.requests.filter((r) => r.path.endsWith('/cancel')).at(-1)!;
      expect(cancel).toMatchObject({ keyed: true, method: dialect === 'fal' ? 'PUT' : 'POST' });
      expect(cancel.path).toContain(cancelled.externalId!.split('/').at(-1)!);
    }
  });
});

describe('a model the catalog does not know', () => {
  it('is sent as given, and the upstream\'s refusal is what the task says', async () => {
    const p = await provider('replicate');
    const task = await create({ providerId: p.id, prompt: 'p', model: 'someone/unknown-model', seconds: 37 });
    const failed = await updateOf(task.videoId, (t) => t.status === 'FAILED');
    expect(failed).toMatchObject({ errorCode: 'SUBMIT_REJECTED', model: 'someone/unknown-model' });
    expect(failed.error).toContain('someone/unknown-model does not exist');
  });
});
