// The task service with each new dialect against the demo's upstream (real HTTP on 127.0.0.1, time by
// hand): 429 with Retry-After, 500 and a hang never fail a task, nothing is asked before Retry-After, and a
// creation whose outcome is unknown is never sent again (Replicate finds it in its list; fal and Gemini
// cannot look, so the task says SUBMIT_UNCONFIRMED).
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../providers/catalog/builtin-models';
import { startSimulator, type Simulator } from '../providers/simulator/simulator';
import { openHarness, until, type Harness } from './test-support/service-harness';
import { closeAfterTest } from './test-support/test-cleanup';

const JOB_MS = 60_000;
const DIALECTS = [
  { dialect: 'gemini' as const, model: BUILTIN_MODELS.gemini[0].id },
  { dialect: 'fal' as const, model: BUILTIN_MODELS.fal[0].id },
  { dialect: 'replicate' as const, model: BUILTIN_MODELS.replicate[0].id },
];

async function setup(dialect: 'gemini' | 'fal' | 'replicate'): Promise<{ h: Harness; sim: Simulator }> {
  // A hang is noticed after 1.5 s of real time; a loaded machine answers well within that.
  const h = await openHarness({ dialect, baseUrl: 'http://127.0.0.1:9', pollIntervalMs: 5_000, clientTimeoutMs: 1_500 });
  const sim = closeAfterTest(await startSimulator({ jobDurationMs: JOB_MS, clock: h.clock, recordRequests: true }));
  await h.registry.save({ id: h.providerId, name: 'Test upstream', dialect, baseUrl: sim.urls[dialect] });
  return { h, sim };
}

const posts = (sim: Simulator) => sim.requests.filter((r) => r.method === 'POST' && !r.path.endsWith('/cancel')).length;

describe.each(DIALECTS)('$dialect through the task service', ({ dialect, model }) => {
  it('rides out 429 with Retry-After, 500s and a hang, asking nothing before Retry-After, and completes', async () => {
    const { h, sim } = await setup(dialect);
    const t = await h.service.createTask('local', { prompt: 'a calico cat', providerId: h.providerId, model });
    await h.service.idle();
    expect(h.store.get(t.videoId)).toMatchObject({ status: 'QUEUED', submitState: 'accepted' });
    h.poller.start();

    sim.faults.set({ rateLimit: { retryAfter: '40', times: 1 } });
    await h.runClock(50_000);
    const limited = sim.requests.find((r) => r.status === 429)!;
    const next = sim.requests[sim.requests.indexOf(limited) + 1];
    expect(next.at - limited.at).toBeGreaterThanOrEqual(40_000);
    sim.faults.set({ serverError: { times: 2 }, hang: { times: 1 } });
    // Backoff after faults is random: give it time enough, in steps.
    for (let i = 0; i < 20 && h.store.get(t.videoId)?.status !== 'COMPLETED'; i++) await h.runClock(30_000);
    await until(() => h.store.get(t.videoId)?.status === 'COMPLETED', 'the task completed');
    const rec = h.store.get(t.videoId)!;
    expect(rec.error).toBeNull();
    expect(sim.faults.current()).toEqual({});
    expect(posts(sim)).toBe(1);
  });

  it('never sends a creation again whose outcome is unknown', async () => {
    const { h, sim } = await setup(dialect);
    // The job is made upstream and the answer is lost.
    sim.faults.set({ hangAfter: { times: 1 } });
    const t = await h.service.createTask('local', { prompt: 'lost answer', providerId: h.providerId, model });
    await h.service.idle();
    h.poller.start();
    for (let i = 0; i < 20 && h.store.get(t.videoId)?.status !== 'COMPLETED' && h.store.get(t.videoId)?.status !== 'FAILED'; i++) await h.runClock(30_000);
    const rec = h.store.get(t.videoId)!;
    if (dialect === 'replicate') {
      // Found in the list by its creation time and prompt, and followed to the end.
      expect(rec).toMatchObject({ submitState: 'accepted', status: 'COMPLETED' });
      expect(sim.requests.some((r) => r.method === 'GET' && r.path.startsWith('/replicate/v1/predictions?created_after='))).toBe(true);
    } else {
      expect(rec).toMatchObject({ status: 'FAILED', errorCode: 'SUBMIT_UNCONFIRMED' });
    }
    expect(posts(sim)).toBe(1);
  });
});
