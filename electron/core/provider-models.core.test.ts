// A provider's model catalog as a client meets it over the WebSocket: listModels merges what the provider
// names with the catalog (and says why when it cannot read the provider's list), saveProvider carries the
// user's edits and the next creation is checked against them, testProvider works for every dialect.
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEntry } from '@shared/contract/model';
import type { ProviderView } from '@shared/contract/provider';
import { BUILTIN_MODELS } from './providers/catalog/builtin-models';
import { useCoreAndUpstream } from './test-support/core-and-upstream';

const KEY = 'test-key-0123456789abcdef';
const env = useCoreAndUpstream({ jobDurationMs: 600 });
afterEach(() => env.sim.faults.clear());

type Models = { providerId: string; models: ModelEntry[]; listError: string | null };
const save = async (p: Record<string, unknown>) => ((await env.api.request('saveProvider', p)).payload as { provider: ProviderView }).provider;
const models = async (providerId: string) => (await env.api.request('listModels', { providerId })).payload as Models;

describe('listModels', () => {
  it('gives a relay\'s own list where the catalog knows nothing, and the built-in demo its catalog', async () => {
    const relay = await save({ name: 'A relay', dialect: 'openai', baseUrl: env.sim.urls.openai, apiKey: KEY });
    expect(relay.models).toEqual([]);
    const listed = await models(relay.id);
    expect(listed).toMatchObject({ providerId: relay.id, listError: null });
    expect(listed.models.map((m) => [m.id, m.origin, m.pricePerSecond])).toEqual([['demo-video', 'listed', null], ['demo-seedance', 'listed', null], ['demo-single-8s', 'listed', null]]);
    const demo = await models('demo');
    expect(demo.models.map((m) => [m.id, m.origin])).toEqual([['demo-video', 'builtin'], ['demo-seedance', 'builtin'], ['demo-single-8s', 'builtin']]);
  });

  it('keeps Gemini\'s video models only, known ones with their limits', async () => {
    const gemini = await save({ name: 'Veo', dialect: 'gemini', baseUrl: env.sim.urls.gemini, apiKey: KEY });
    const { models: got } = await models(gemini.id);
    expect(got.map((m) => m.id)).toEqual(BUILTIN_MODELS.gemini.map((m) => m.id));
    expect(got[0]).toEqual(BUILTIN_MODELS.gemini[0]);
    expect(env.sim.requests.at(-1)).toMatchObject({ path: '/gemini/v1beta/models?pageSize=1000', keyed: true });
  });

  it('still gives the catalog when the provider\'s list cannot be read, saying why', async () => {
    const gemini = await save({ name: 'Veo 2', dialect: 'gemini', baseUrl: env.sim.urls.gemini, apiKey: KEY });
    env.sim.faults.set({ unauthorized: true });
    const got = await models(gemini.id);
    expect(got.models.map((m) => m.id)).toEqual(BUILTIN_MODELS.gemini.map((m) => m.id));
    expect(got.listError).toMatch(/rejected the API key/);
    expect(got.listError).not.toContain(KEY);
    expect((await env.api.request('listModels', { providerId: 'nope' })).payload).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('saveProvider with models', () => {
  it('stores the user\'s edits, checks the next creation against them, and goes back to the built-ins on null', async () => {
    const fal = await save({ name: 'My fal', dialect: 'fal', baseUrl: env.sim.urls.fal, apiKey: KEY });
    const [veo, ...rest] = fal.models;
    const edited = await save({ id: fal.id, name: 'My fal', dialect: 'fal', baseUrl: env.sim.urls.fal, models: [{ ...veo, seconds: [8], pricePerSecond: 0.5 }, ...rest.slice(1)] });
    expect(edited.models.map((m) => [m.id, m.origin, m.pricePerSecond])).toEqual([[veo.id, 'user', 0.5], [rest[1].id, 'builtin', rest[1].pricePerSecond]]);
    expect(edited.hasApiKey).toBe(true);
    const refused = await env.api.request('createTask', { providerId: fal.id, prompt: 'p', model: veo.id, seconds: 4 });
    expect(refused.payload).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('allowed: 8 s') });
    // A model taken out of the catalog is one it does not know: sent as given.
    const removed = await env.api.request('createTask', { providerId: fal.id, prompt: 'p', model: rest[0].id });
    expect(removed.type).toBe('taskCreated');
    const reset = await save({ id: fal.id, name: 'My fal', dialect: 'fal', baseUrl: env.sim.urls.fal, models: null });
    expect(reset.models).toEqual(BUILTIN_MODELS.fal);
  });

  it('refuses a malformed entry, naming it, and leaves the built-in demo alone', async () => {
    const bad = await env.api.request('saveProvider', { name: 'X', dialect: 'replicate', baseUrl: env.sim.urls.replicate, models: [{ id: 'x', label: 'x', seconds: 'eight' }] });
    expect(bad.payload).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('models') });
    for (const id of ['demo', 'demo-gemini', 'demo-fal', 'demo-replicate']) {
      expect((await env.api.request('saveProvider', { id, name: 'mine', dialect: 'fal', baseUrl: env.sim.urls.fal })).payload).toMatchObject({ code: 'CONFLICT' });
      expect((await env.api.request('deleteProvider', { id })).payload).toMatchObject({ code: 'CONFLICT' });
    }
  });
});

describe('testProvider', () => {
  it.each(['openai', 'gemini', 'fal', 'replicate'] as const)('%s: reachable with the key, and says so when the key is refused', async (dialect) => {
    const p = await save({ name: `Test ${dialect}`, dialect, baseUrl: env.sim.urls[dialect], apiKey: KEY });
    expect((await env.api.request('testProvider', { id: p.id })).payload).toMatchObject({ ok: true, code: null });
    env.sim.faults.set({ unauthorized: true });
    expect((await env.api.request('testProvider', { id: p.id })).payload).toMatchObject({ ok: false, code: 'UPSTREAM_UNAUTHORIZED' });
  });
});
