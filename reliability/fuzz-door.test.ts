// Fuzzing the WebSocket door with fast-check: frames of every kind (bad JSON, wrong types, huge numbers,
// deep nesting, unknown types, random and mutated payloads for every message type of the contract) sent
// one at a time to the real service in its own process. Each frame must get a well-formed reply, the
// process must live, and the connection must stay open (auth frames, answered UNAUTHORIZED and closed
// 4401 by design, are sent on connections of their own).
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TYPES, ServerSchemas, type RequestType, type ServerEnvelope, type ServerType } from '@shared/contract/messages';
import { ApiClient } from '../electron/core/test-support/api-client';
import { caseDir, keepFrames, QUICK, recordFigure } from './support/run-root';
import { startService, type ServiceProcess } from './support/service-process';

const FRAMES = QUICK ? 2_000 : 10_000;
const AUTH_FRAMES = 30;
const SEED = 1204;
let service: ServiceProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = caseDir('fuzz');
  service = await startService(dataDir, 300);
});
afterAll(async () => {
  await service?.stop();
});

/** A valid payload per message type, the seed the mutations start from. */
const SAMPLE: Record<RequestType, Record<string, unknown>> = {
  auth: { token: 'x' },
  ping: {},
  subscribe_task: { videoId: 'vid_x' },
  unsubscribe_task: { videoId: 'vid_x' },
  requestTaskStatus: { videoId: 'vid_x' },
  requestMultipleTaskStatus: { videoIds: ['vid_x', 'vid_y'] },
  createTask: { prompt: 'a fuzzed lighthouse', seconds: '4', size: '1280x720' },
  trackTask: { providerId: 'demo', externalId: 'video_fuzz', prompt: 'tracked' },
  getTask: { videoId: 'vid_x' },
  listTasks: { limit: 5 },
  cancelTask: { videoId: 'vid_x' },
  deleteTask: { videoId: 'vid_x' },
  retryTask: { videoId: 'vid_x' },
  remixTask: { videoId: 'vid_x', prompt: 'at night' },
  getStats: {},
  listProviders: {},
  saveProvider: { name: 'Fuzzed relay', dialect: 'openai', baseUrl: 'http://127.0.0.1:9' },
  deleteProvider: { id: 'nope' },
  testProvider: { id: 'nope' },
  listModels: { providerId: 'demo' },
  getSettings: {},
  updateSettings: { pollIntervalMs: 5000 },
  getUpdateState: {},
  installUpdate: {},
  exportDiagnostics: { includePrompts: true },
  createBatch: { name: 'fuzzed', items: [{ prompt: 'a fuzzed harbour' }, { prompt: 'a fuzzed bridge', seconds: '4' }], variants: 2 },
  listBatches: {},
  pauseBatch: { id: 'batch_x' },
  resumeBatch: { id: 'batch_x' },
  cancelBatch: { id: 'batch_x' },
  retryBatch: { id: 'batch_x' },
  getSpend: { groupBy: 'day' },
};

/**
 * What a fuzzed payload may not do, whatever fast-check makes of it: send a request off this machine (a
 * provider's base URL, a reference image URL) or make a library folder relative to the test's cwd.
 */
function keepLocal(type: string, payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const p = { ...(payload as Record<string, unknown>) };
  if (type === 'saveProvider' && typeof p.baseUrl === 'string') p.baseUrl = URL.canParse(p.baseUrl) ? 'http://127.0.0.1:9' : p.baseUrl;
  if (type === 'updateSettings' && typeof p.libraryDir === 'string') p.libraryDir = path.join(dataDir, 'library');
  if (type === 'createTask' && p.inputReference !== undefined) p.inputReference = 'data:image/png;base64,iVBORw0KGgo=';
  return p;
}

/** JSON text nested `depth` deep (built as text: JSON.stringify of it would overflow this side's stack). */
const deepText = (depth: number, leaf: string): string => {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '{"a":' : '[';
    close = (i % 2 ? '}' : ']') + close;
  }
  return open + leaf + close;
};
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 2 ** 64, 1e-320, 123456789012345678901234567890);
const types = REQUEST_TYPES.filter((t) => t !== 'auth');

type Frame = { text: string; kind: string; type: string | null; id: string | null };
const asFrame = (kind: string, value: unknown, type: string | null, id: string | null): Frame => ({ text: JSON.stringify(value) ?? 'null', kind, type, id });

function frames(): fc.Arbitrary<Frame> {
  const id = fc.nat().map((n) => `fz${n}`);
  const typed = fc.constantFrom(...types);
  return fc.oneof(
    // Not JSON at all, or JSON cut short.
    fc.string({ maxLength: 200 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } })
      .map((text) => ({ text, kind: 'bad JSON', type: null, id: null })),
    fc.tuple(typed, id).map(([type, i]) => ({ text: JSON.stringify({ type, id: i, payload: SAMPLE[type] }).slice(0, -2), kind: 'bad JSON', type: null, id: null })),
    // JSON that is no envelope.
    fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.anything(), { maxLength: 5 }))
      .map((v) => asFrame('not an object', v, null, null)),
    // Envelope fields of the wrong type.
    fc.tuple(fc.anything(), fc.anything(), fc.anything()).map(([type, i, payload]) => asFrame('wrong types', { type, id: i, payload }, null, null)),
    fc.tuple(typed, id, fc.oneof(fc.string(), fc.integer(), fc.array(fc.anything()), fc.boolean()))
      .map(([type, i, payload]) => asFrame('wrong types', { type, id: i, payload }, type, i)),
    // Huge numbers where numbers go, and as ids.
    fc.tuple(typed, id, hugeNumber).map(([type, i, n]) => asFrame('huge numbers', { type, id: i, payload: { ...SAMPLE[type], limit: n, pollIntervalMs: n, seconds: n, rateLimitPerMinute: n } }, type, i)),
    fc.tuple(typed, hugeNumber).map(([type, n]) => asFrame('huge numbers', { type, id: n, payload: SAMPLE[type] }, type, Number.isFinite(n) ? String(n) : null)),
    // Deep nesting, up to the 1 MiB frame limit's worth.
    fc.tuple(typed, id, fc.integer({ min: 10, max: 100_000 })).map(([type, i, depth]) => {
      const fields = JSON.stringify(SAMPLE[type]).slice(1, -1);
      return { text: `{"type":"${type}","id":"${i}","payload":{${fields ? `${fields},` : ''}"nested":${deepText(depth, '1')}}}`, kind: 'deep nesting', type, id: i };
    }),
    fc.tuple(id, fc.integer({ min: 10, max: 100_000 })).map(([i, depth]) => ({
      text: `{"type":"ping","id":"${i}","payload":${deepText(depth | 1, '"x"')}}`, kind: 'deep nesting', type: 'ping', id: i,
    })),
    // Unknown message types.
    fc.tuple(fc.string({ minLength: 1, maxLength: 100 }).filter((t) => !(REQUEST_TYPES as string[]).includes(t)), id, fc.anything())
      .map(([type, i, payload]) => asFrame('unknown type', { type, id: i, payload }, type, i)),
    // Every message type: its sample, a field replaced by anything, extra keys, or any object at all.
    fc.tuple(typed, id).map(([type, i]) => asFrame('valid payload', { type, id: i, payload: keepLocal(type, SAMPLE[type]) }, type, i)),
    fc.tuple(typed, id, fc.string({ maxLength: 12 }), fc.anything()).map(([type, i, key, value]) => {
      const fields = Object.keys(SAMPLE[type]);
      const field = fields.length ? fields[key.length % fields.length] : key;
      return asFrame('mutated payload', { type, id: i, payload: keepLocal(type, { ...SAMPLE[type], [field]: value }) }, type, i);
    }),
    fc.tuple(typed, id, fc.dictionary(fc.string({ maxLength: 12 }), fc.anything(), { maxKeys: 6 }))
      .map(([type, i, payload]) => asFrame('random payload', { type, id: i, payload: keepLocal(type, payload) }, type, i)),
  );
}

/** The reply that ends a frame: the one with its id (the batch's last for requestMultipleTaskStatus), or an error without id. */
function isFinal(f: Frame, m: ServerEnvelope, id: string | null): boolean {
  if (id === null) return m.type === 'error' && m.id === undefined;
  if (m.id !== id && String(m.id) !== id) return false;
  if (f.type === 'requestMultipleTaskStatus' && m.type !== 'error') return m.type === 'taskStatusBatchDone';
  if (f.type === 'requestMultipleTaskStatus' && m.type === 'error') return (m.payload as { videoId?: string }).videoId === undefined;
  return true;
}

function wellFormed(m: ServerEnvelope): boolean {
  const schema = ServerSchemas[m.type as ServerType];
  return typeof m.timestamp === 'number' && schema !== undefined && schema.safeParse(m.payload).success;
}

describe('fuzzing the WebSocket door', () => {
  it(`${FRAMES} fuzzed frames: a well-formed reply to each, the service alive, the connection open`, async () => {
    let c = await ApiClient.connect(service.info.wsUrl, service.info.token);
    const all: ServerEnvelope[] = [];
    const byKind = new Map<string, number>();
    const codes = new Map<string, number>();
    const problems: string[] = [];
    let slowest = 0;
    let chunk: Frame[] = [];
    // Frames are drawn in chunks (seeded per chunk), so deep ones do not pile up in this process.
    const CHUNK = 250;
    let sent = 0;
    for (let n = 0; n < FRAMES; n++) {
      if (n % CHUNK === 0) chunk = fc.sample(frames(), { numRuns: Math.min(CHUNK, FRAMES - n), seed: SEED + n });
      const f = chunk[n % CHUNK];
      sent++;
      byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
      // An envelope whose id the router can read carries it back (deep frames carry the one we gave them).
      let id: string | null = f.kind === 'deep nesting' ? f.id : null;
      if (f.kind !== 'deep nesting') {
        try {
          const v = JSON.parse(f.text) as { id?: unknown };
          if (v && typeof v === 'object' && !Array.isArray(v) && (typeof v.id === 'string' ? v.id.length <= 200 : typeof v.id === 'number')) id = String(v.id);
        } catch { /* bad JSON: no id */ }
      }
      const from = c.messages.length;
      const started = Date.now();
      const reply = c.waitFor((m) => c.messages.indexOf(m) >= from && isFinal(f, m, id));
      c.send(f.text);
      const got = await Promise.race([reply, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
      slowest = Math.max(slowest, Date.now() - started);
      if (!got) {
        problems.push(`#${n} ${f.kind}: no reply to ${f.text.slice(0, 120)}`);
        break;
      }
      for (const m of c.messages.slice(from)) if (!wellFormed(m)) problems.push(`#${n}: malformed ${JSON.stringify(m).slice(0, 200)}`);
      if (got.type === 'error') {
        const code = (got.payload as { code: string }).code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === 'UNAUTHORIZED') problems.push(`#${n}: UNAUTHORIZED on an authenticated connection`);
      }
      if (c.ws.readyState !== c.ws.OPEN) {
        problems.push(`#${n} ${f.kind}: the connection closed after ${f.text.slice(0, 120)}`);
        all.push(...c.messages);
        c = await ApiClient.connect(service.info.wsUrl, service.info.token);
      }
      if (n % 1000 === 999) expect(service.alive(), `alive after ${n + 1} frames`).toBe(true);
      // Keep memory flat over 10,000 frames: what was received goes to the run's recordings in batches.
      if (c.messages.length > 2000) keepFrames('fuzz', c.messages.splice(0, c.messages.length));
    }
    keepFrames('fuzz', [...all, ...c.messages]);
    const stillAnswers = (await c.request('ping')).type === 'pong';
    await c.close();

    // auth: each fuzzed token is refused with UNAUTHORIZED and the connection closed 4401, nothing else.
    const authProblems: string[] = [];
    let throttled = 0;
    for (const token of fc.sample(fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.anything()), { numRuns: AUTH_FRAMES, seed: SEED })) {
      const a = await ApiClient.connect(service.info.wsUrl);
      const r = await a.request('auth', { token } as Record<string, unknown>);
      const closed = await Promise.race([a.closed, new Promise<null>((res) => setTimeout(() => res(null), 5000))]);
      if (r.type !== 'error' || (r.payload as { code: string }).code !== 'UNAUTHORIZED' || closed?.code !== 4401) authProblems.push(JSON.stringify([token, r, closed]).slice(0, 300));
      if (/too many failed/.test((r.payload as { message?: string }).message ?? '')) throttled++;
      keepFrames('fuzz-auth', a.messages);
    }

    const alive = service.alive();
    const kinds = [...byKind].map(([k, v]) => `${k} ${v}`).join(', ');
    const errorCodes = [...codes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    recordFigure({
      case: 'WebSocket door fuzzing (fast-check)',
      done: `${sent} frames, seeds ${SEED}+, drawn 250 at a time, one at a time on one authenticated connection to the service in its own process (${kinds}); then ${AUTH_FRAMES} fuzzed auth frames on fresh connections`,
      expected: 'a well-formed reply (schema-valid envelope) to every frame, the process alive, the connection open; auth frames: UNAUTHORIZED and close 4401',
      figure: `${sent - problems.length}/${sent} frames answered well-formed with the connection open; process alive: ${alive}; slowest reply ${slowest} ms; errors by code: ${errorCodes}; auth: ${AUTH_FRAMES - authProblems.length}/${AUTH_FRAMES} UNAUTHORIZED + 4401 (${throttled} of them throttled)`,
      ok: problems.length === 0 && authProblems.length === 0 && alive && stillAnswers,
    });
    expect(problems).toEqual([]);
    expect(authProblems).toEqual([]);
    expect(alive).toBe(true);
    expect(stillAnswers).toBe(true);
  });
});
