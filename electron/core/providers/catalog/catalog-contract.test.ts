// Every combination the built-in catalog offers becomes a request the provider's published schema accepts,
// and the demo serves every combination its catalog offers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderDialect } from '@shared/contract/dialects';
import type { ModelEntry } from '@shared/contract/model';
import { secondsChoices, secondsFor } from '@shared/contract/model-rules';
import { createProviderClient } from '../create-provider-client';
import { manualClock } from '../simulator/test-support/manual-clock';
import { startSimulator, type Simulator } from '../simulator/simulator';
import { sendJson, startRecordingUpstream, type RecordingUpstream } from '../test-support/recording-upstream';
import { loadSpec, type SpecCheck } from '../test-support/spec-validator';
import { BUILTIN_MODELS } from './builtin-models';
import { demoModels } from './demo-models';

const INPUT_SCHEMA: Record<string, string> = {
  'fal-ai/veo3.1': 'Veo31Input', 'fal-ai/veo3/fast': 'Veo3FastInput', 'fal-ai/kling-video/v2.5-turbo/pro/text-to-video': 'Kling25TurboProInput',
  'google/veo-3.1': 'GoogleVeo31Input', 'kwaivgi/kling-v2.5-turbo-pro': 'KlingV25TurboProInput', 'minimax/hailuo-2.3': 'Hailuo23Input',
};
const IMAGE = 'data:image/png;base64,iVBORw0KGgo=';

/** Every (seconds, size) the entry allows, each with and without a reference image where it takes one. */
function combinations(m: ModelEntry): Array<{ seconds: string; size: string; image: boolean }> {
  const out = [];
  for (const size of m.sizes) {
    for (const s of secondsChoices(secondsFor(m, size))) {
      out.push({ seconds: String(s), size, image: false });
      if (m.kinds.includes('image-to-video')) out.push({ seconds: String(s), size, image: true });
    }
  }
  return out;
}

let up: RecordingUpstream;
let specs: Record<'gemini' | 'fal' | 'replicate', SpecCheck>;
beforeAll(async () => {
  up = await startRecordingUpstream();
  const [gemini, fal, replicate] = await Promise.all([loadSpec('gemini-veo.schema.yaml'), loadSpec('fal-queue.schema.yaml'), loadSpec('replicate-predictions.schema.yaml')]);
  specs = { gemini, fal, replicate };
});
afterAll(async () => { await up.close(); });

const answer: Record<'gemini' | 'fal' | 'replicate', unknown> = {
  gemini: { name: 'models/m/operations/1' },
  fal: { request_id: 'r1', status: 'IN_QUEUE', queue_position: 0 },
  replicate: { id: 'p1', status: 'starting', input: {}, urls: {} },
};

describe('built-in catalog against the published schemas', () => {
  for (const dialect of ['gemini', 'fal', 'replicate'] as const) {
    it(`${dialect}: every offered combination is a valid request`, async () => {
      up.handle((_r, res) => sendJson(res, 200, answer[dialect]));
      const client = createProviderClient({ dialect, baseUrl: up.url, apiKey: 'test-key-0123456789abcdef' });
      let checked = 0;
      for (const m of BUILTIN_MODELS[dialect]) {
        for (const c of combinations(m)) {
          up.requests.length = 0;
          await client.create({ prompt: 'a calico cat', model: m.id, seconds: c.seconds, size: c.size, entry: m, inputReference: c.image ? IMAGE : null });
          const body = JSON.parse(up.requests[0].body.toString());
          const errors = dialect === 'gemini' ? specs.gemini('PredictLongRunningRequest', body)
            : dialect === 'fal' ? specs.fal(INPUT_SCHEMA[m.id], body)
            : [...specs.replicate('schemas_prediction_request', body), ...specs.replicate(INPUT_SCHEMA[m.id], body.input)];
          expect({ model: m.id, ...c, errors }).toEqual({ model: m.id, ...c, errors: [] });
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
    });
  }

  it('checks something: a wrong duration format is refused by the schema', () => {
    expect(specs.fal('Veo31Input', { prompt: 'p', duration: 8 })).not.toEqual([]);
    expect(specs.replicate('KlingV25TurboProInput', { prompt: 'p', duration: '5' })).not.toEqual([]);
  });
});

describe('demo catalog against the demo simulator', () => {
  let sim: Simulator;
  beforeAll(async () => { sim = await startSimulator({ jobDurationMs: 1000, clock: manualClock() }); });
  afterAll(async () => { await sim.close(); });

  for (const dialect of ['openai', 'gemini', 'fal', 'replicate'] as ProviderDialect[]) {
    it(`${dialect}: the demo makes every combination its catalog offers`, async () => {
      const client = createProviderClient({ dialect, baseUrl: sim.urls[dialect as 'openai'], apiKey: null });
      for (const m of demoModels(dialect)) {
        for (const c of combinations(m)) {
          const job = await client.create({ prompt: 'a calico cat', model: m.id, seconds: c.seconds, size: c.size, entry: m, inputReference: c.image ? IMAGE : null });
          expect(job.status).toBe('QUEUED');
        }
      }
    });
  }
});
