// The simulator's answers against the providers' published schemas (shared/specs copies), so the demo never
// teaches the app something a real upstream would not say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, type SpecCheck } from '../test-support/spec-validator';
import { manualClock } from './test-support/manual-clock';
import { startSimulator, type Simulator } from './simulator';

const clock = manualClock();
let sim: Simulator;
let openai: SpecCheck, gemini: SpecCheck, fal: SpecCheck, replicate: SpecCheck;

beforeAll(async () => {
  [openai, gemini, fal, replicate] = await Promise.all([
    loadSpec('openai-videos.openapi.yaml'), loadSpec('gemini-veo.schema.yaml'), loadSpec('fal-queue.schema.yaml'), loadSpec('replicate-predictions.schema.yaml'),
  ]);
  sim = await startSimulator({ jobDurationMs: 1000, clock });
});
afterAll(async () => { await sim.close(); });

async function call(method: string, path: string, body?: unknown, status = 200): Promise<unknown> {
  const res = await fetch(sim.baseUrl + path, {
    method, headers: body ? { 'content-type': 'application/json', authorization: 'Bearer test-key-0123456789abcdef' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status).toBe(status);
  return res.json();
}

describe('demo simulator against the OpenAI Videos schema', () => {
  it('checks something: a wrong VideoResource is rejected', () => {
    expect(openai('VideoResource', { id: 'video_1', object: 'video', status: 'done', seconds: 8 })).not.toEqual([]);
  });

  it('answers VideoResource in every state for a model within the official values', async () => {
    const created = await call('POST', '/v1/videos', { prompt: 'a red fox', seconds: '8', size: '1280x720', model: 'demo-video' }) as { id: string };
    expect(openai('VideoResource', created)).toEqual([]);
    const failing = await call('POST', '/v1/videos', { prompt: 'oops [fail]' }) as { id: string };
    clock.advance(400);
    expect(openai('VideoResource', await call('GET', `/v1/videos/${created.id}`))).toEqual([]);
    clock.advance(600);
    const done = await call('GET', `/v1/videos/${created.id}`) as { status: string };
    expect(done.status).toBe('completed');
    expect(openai('VideoResource', done)).toEqual([]);
    expect(openai('VideoResource', await call('GET', `/v1/videos/${failing.id}`))).toEqual([]);
    expect(openai('VideoResource', await call('POST', `/v1/videos/${created.id}/remix`, { prompt: 'at night' }))).toEqual([]);
  });

  it('keeps the shape, not the values, for a relay\'s other models (their seconds and sizes are outside the official enums)', async () => {
    const job = await call('POST', '/v1/videos', { prompt: 'p', seconds: '15', size: '1344x768', model: 'demo-seedance' });
    const errors = openai('VideoResource', job);
    expect(errors.every((e) => /^\/(seconds|size) /.test(e))).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('answers VideoListResource and DeletedVideoResource', async () => {
    const list = await call('GET', '/v1/videos?limit=2&order=desc') as { data: { id: string; seconds: string }[] };
    expect(openai('VideoListResource', { ...list, data: list.data.filter((v) => ['4', '8', '12'].includes(v.seconds)) })).toEqual([]);
    expect(openai('VideoListResource', await call('GET', `/v1/videos?after=${list.data[0].id}&limit=0`))).toEqual([]);
    expect(openai('DeletedVideoResource', await call('DELETE', `/v1/videos/${list.data[1].id}`))).toEqual([]);
  });
});

describe('demo simulator against the Gemini API schema', () => {
  it('answers Operation while running, done, failed and filtered; ListModelsResponse; errors', async () => {
    expect(gemini('Operation', { name: 'models/veo/operations/1', done: true })).not.toEqual([]);
    const body = (prompt: string) => ({ instances: [{ prompt }], parameters: { durationSeconds: 8, aspectRatio: '16:9', resolution: '1080p' } });
    const op = await call('POST', '/gemini/v1beta/models/veo-3.1-generate-001:predictLongRunning', body('a fox')) as { name: string };
    const failing = await call('POST', '/gemini/v1beta/models/veo-3.1-generate-001:predictLongRunning', body('a fox [fail]')) as { name: string };
    const filtered = await call('POST', '/gemini/v1beta/models/veo-3.1-generate-001:predictLongRunning', body('a fox [filtered]')) as { name: string };
    expect(gemini('Operation', op)).toEqual([]);
    clock.advance(1000);
    for (const o of [op, failing, filtered]) expect(gemini('Operation', await call('GET', `/gemini/v1beta/${o.name}`))).toEqual([]);
    expect(gemini('ListModelsResponse', await call('GET', '/gemini/v1beta/models?pageSize=1'))).toEqual([]);
    expect(gemini('Error', await call('POST', '/gemini/v1beta/models/veo-3.1-generate-001:predictLongRunning', { instances: [] }, 400))).toEqual([]);
  });
});

describe('demo simulator against fal\'s queue schema', () => {
  it('answers QueueStatus in each state, the VideoResult, cancel answers and validation errors', async () => {
    expect(fal('QueueStatus', { status: 'IN_QUEUE', request_id: 'x', response_url: 'u', status_url: 'u', cancel_url: 'u' })).not.toEqual([]);
    const queued = await call('POST', '/fal/fal-ai/veo3.1', { prompt: 'a fox', duration: '8s' }) as { status_url: string; response_url: string; cancel_url: string };
    expect(fal('QueueStatus', queued)).toEqual([]);
    const path = (u: string) => new URL(u).pathname;
    expect(fal('QueueStatus', await call('GET', path(queued.status_url)))).toEqual([]);
    clock.advance(500);
    expect(fal('QueueStatus', await call('GET', path(queued.status_url)))).toEqual([]);
    clock.advance(500);
    expect(fal('QueueStatus', await call('GET', path(queued.status_url)))).toEqual([]);
    expect(fal('VideoResult', await call('GET', path(queued.response_url)))).toEqual([]);
    expect(fal('CancelAnswer', await call('PUT', path(queued.cancel_url), undefined, 400))).toEqual([]);
    const other = await call('POST', '/fal/fal-ai/kling-video/v2.5-turbo/pro/text-to-video', { prompt: 'p' }) as { cancel_url: string };
    expect(fal('CancelAnswer', await call('PUT', path(other.cancel_url), undefined, 202))).toEqual([]);
    expect(fal('ValidationError', await call('POST', '/fal/fal-ai/veo3.1', { prompt: 'p', duration: '5s' }, 422))).toEqual([]);
  });
});

describe('demo simulator against Replicate\'s schema', () => {
  it('answers predictions in each state, the paginated list and errors', async () => {
    expect(replicate('schemas_prediction_response', { id: 'x', status: 'done' })).not.toEqual([]);
    const created = await call('POST', '/replicate/v1/models/kwaivgi/kling-v2.5-turbo-pro/predictions', { input: { prompt: 'a fox', duration: 5 } }, 201) as { id: string };
    const failing = await call('POST', '/replicate/v1/models/google/veo-3.1/predictions', { input: { prompt: 'a fox [fail]' } }, 201) as { id: string };
    const cancelled = await call('POST', '/replicate/v1/models/minimax/hailuo-2.3/predictions', { input: { prompt: 'p' } }, 201) as { id: string };
    expect(replicate('schemas_prediction_response', created)).toEqual([]);
    clock.advance(500);
    expect(replicate('schemas_prediction_response', await call('GET', `/replicate/v1/predictions/${created.id}`))).toEqual([]);
    expect(replicate('schemas_prediction_response', await call('POST', `/replicate/v1/predictions/${cancelled.id}/cancel`))).toEqual([]);
    clock.advance(500);
    for (const id of [created.id, failing.id, cancelled.id]) {
      expect(replicate('schemas_prediction_response', await call('GET', `/replicate/v1/predictions/${id}`))).toEqual([]);
    }
    expect(replicate('schemas_paginated_prediction_response', await call('GET', '/replicate/v1/predictions'))).toEqual([]);
    expect(replicate('Error', await call('GET', '/replicate/v1/predictions/nope', undefined, 404))).toEqual([]);
  });
});
