// The simulator's answers against the official OpenAI Videos schema (shared/specs copy), so the
// demo never teaches the app something a real upstream would not say.
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from './test-support/manual-clock';
import { startSimulator, type Simulator } from './simulator';

const SPEC = new URL('../../../../shared/specs/openai-videos.openapi.yaml', import.meta.url);
const clock = manualClock();
let sim: Simulator;
let validate: (name: string, value: unknown) => string[];

beforeAll(async () => {
  const spec = parse(await readFile(SPEC, 'utf8')) as Record<string, unknown>;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; its formats (unixtime, binary) are descriptive only.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ ...spec, $id: 'openapi' });
  validate = (name, value) => {
    const check = ajv.getSchema(`openapi#/components/schemas/${name}`);
    if (!check) throw new Error(`schema ${name} not in the spec`);
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
  sim = await startSimulator({ jobDurationMs: 1000, clock });
});
afterAll(async () => { await sim.close(); });

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(sim.baseUrl + path, {
    method, headers: body ? { 'content-type': 'application/json', authorization: 'Bearer test-key-0123456789abcdef' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('demo simulator against the OpenAI Videos schema', () => {
  it('checks something: a wrong VideoResource is rejected', () => {
    expect(validate('VideoResource', { id: 'video_1', object: 'video', status: 'done', seconds: 8 })).not.toEqual([]);
  });

  it('answers VideoResource in every state', async () => {
    const created = await call('POST', '/v1/videos', { prompt: 'a red fox', seconds: '8', size: '1280x720', model: 'sora-2-pro' }) as { id: string };
    expect(validate('VideoResource', created)).toEqual([]);
    const failing = await call('POST', '/v1/videos', { prompt: 'oops [fail]' }) as { id: string };
    clock.advance(400);
    const running = await call('GET', `/v1/videos/${created.id}`) as { status: string };
    expect(running.status).toBe('in_progress');
    expect(validate('VideoResource', running)).toEqual([]);
    clock.advance(600);
    const done = await call('GET', `/v1/videos/${created.id}`) as { status: string };
    expect(done.status).toBe('completed');
    expect(validate('VideoResource', done)).toEqual([]);
    const failed = await call('GET', `/v1/videos/${failing.id}`) as { status: string };
    expect(failed.status).toBe('failed');
    expect(validate('VideoResource', failed)).toEqual([]);
    const remix = await call('POST', `/v1/videos/${created.id}/remix`, { prompt: 'at night' });
    expect(validate('VideoResource', remix)).toEqual([]);
  });

  it('answers VideoListResource and DeletedVideoResource', async () => {
    const list = await call('GET', '/v1/videos?limit=2&order=desc') as { data: { id: string }[] };
    expect(list.data).toHaveLength(2);
    expect(validate('VideoListResource', list)).toEqual([]);
    const empty = await call('GET', `/v1/videos?after=${list.data[0].id}&limit=0`);
    expect(validate('VideoListResource', empty)).toEqual([]);
    const deleted = await call('DELETE', `/v1/videos/${list.data[1].id}`);
    expect(validate('DeletedVideoResource', deleted)).toEqual([]);
  });
});
