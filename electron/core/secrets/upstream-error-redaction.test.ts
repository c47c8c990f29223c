// Attack-review finding 4: an upstream that echoes a key in a job's error ("invalid api key sk-... for
// user") must not get it stored, archived or pushed. Replayed over the real WebSocket door against a real
// upstream on 127.0.0.1; the data dir's files, every frame and every log line are searched afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderView } from '@shared/contract/provider';
import type { TaskView } from '@shared/contract/task';
import { createCore } from '../core';
import type { Core } from '../core-types';
import { createLogger } from '../log';
import { sendJson, startRecordingUpstream, type RecordingUpstream } from '../providers/test-support/recording-upstream';
import { createConfBackend } from '../settings/conf-backend';
import { ApiClient } from '../test-support/api-client';
import { MemorySecretStore } from './memory-secret-store';

const OWN_KEY = 'sk-own-key-0123456789abcdefABCDEF0123';
const OTHER_KEY = 'relay-other-provider-key-with-no-known-shape-42';
/** Key shapes of the dialects SoraDesk speaks, none of them a key the service holds. */
const SHAPED = [
  'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv',
  'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW',
  'r8_AbCdEf0123456789GhIjKlMnOpQrStUvWx',
  '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b:0123456789abcdef0123456789abcdef',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2NhbCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
];

let dataDir: string;
let core: Core;
let c: ApiClient;
let up: RecordingUpstream;
const logLines: string[] = [];
/** What the upstream says about the job when it is asked, and about a creation. */
let jobError: unknown = null;
let createAnswer: { status: number; body: unknown } | null = null;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-redaction-'));
  jobError = null;
  createAnswer = null;
  logLines.length = 0;
  up = await startRecordingUpstream((req, res) => {
    if (req.method === 'POST') {
      if (createAnswer) return sendJson(res, createAnswer.status, createAnswer.body);
      return sendJson(res, 200, { id: 'video_1', object: 'video', status: 'queued', progress: 0 });
    }
    if (req.url.startsWith('/v1/videos/video_1')) {
      return sendJson(res, 200, { id: 'video_1', object: 'video', status: jobError ? 'failed' : 'in_progress', progress: 10, error: jobError });
    }
    sendJson(res, 200, { object: 'list', data: [], has_more: false });
  });
  core = createCore({
    dataDir, settings: createConfBackend({ cwd: dataDir }), secrets: new MemorySecretStore(),
    logger: createLogger({ level: 'debug', write: (l) => logLines.push(l) }), locale: 'en-US',
  });
  const info = await core.start();
  c = await ApiClient.connect(info.wsUrl, info.token);
});

afterEach(async () => {
  await c.close();
  await core.stop();
  await up.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function provider(name: string, apiKey: string): Promise<string> {
  const reply = await c.request('saveProvider', { name, dialect: 'openai', baseUrl: up.url, apiKey });
  return (reply.payload as { provider: ProviderView }).provider.id;
}

async function failedTask(providerId: string): Promise<TaskView> {
  const created = await c.request('createTask', { providerId, prompt: 'a lighthouse at dusk' });
  const { videoId } = (created.payload as { task: TaskView }).task;
  await c.waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId && (m.payload as TaskView).externalId !== null, { includePast: true });
  const reply = await c.request('requestTaskStatus', { videoId });
  return reply.payload as TaskView;
}

function everythingWritten(): string {
  const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'));
  return [...files, ...c.messages.map((m) => JSON.stringify(m)), ...logLines].join('\n');
}

describe('a key echoed in an upstream error', () => {
  it('the provider\'s own key in a job\'s error is neither stored, archived, pushed nor logged', async () => {
    const id = await provider('Relay', OWN_KEY);
    jobError = { code: 'invalid_api_key', message: `invalid api key ${OWN_KEY} for user` };
    const task = await failedTask(id);
    expect(task).toMatchObject({ status: 'FAILED', errorCode: 'invalid_api_key' });
    expect(task.error).toMatch(/^invalid api key \[redacted\] for user$/);
    await core.stop();
    expect(everythingWritten()).not.toContain(OWN_KEY);
  });

  it('another provider\'s held key and key-shaped strings are taken out too', async () => {
    const otherId = await provider('Other', OTHER_KEY);
    const id = await provider('Relay', OWN_KEY);
    // The other provider's key is held once it has been used.
    await c.request('testProvider', { id: otherId });
    jobError = `denied for ${OTHER_KEY}; tried ${SHAPED.join(', ')}; Authorization: Bearer abc.def.ghi`;
    const task = await failedTask(id);
    expect(task.status).toBe('FAILED');
    expect(task.error).toContain('denied for [redacted]');
    await core.stop();
    const all = everythingWritten();
    for (const secret of [OTHER_KEY, ...SHAPED, 'abc.def.ghi']) expect(all, secret).not.toContain(secret);
  });

  it('a refused creation that echoes a key: the task\'s error and the reply carry none', async () => {
    const id = await provider('Relay', OWN_KEY);
    createAnswer = { status: 400, body: { error: { message: `model not allowed for key ${SHAPED[0]} (${OWN_KEY})` } } };
    const created = await c.request('createTask', { providerId: id, prompt: 'a lighthouse at dusk' });
    const { videoId } = (created.payload as { task: TaskView }).task;
    const failed = await c.waitFor((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId && (m.payload as TaskView).status === 'FAILED', { includePast: true });
    expect((failed.payload as TaskView).error).toContain('model not allowed for key [redacted]');
    await core.stop();
    const all = everythingWritten();
    for (const secret of [OWN_KEY, SHAPED[0]]) expect(all, secret).not.toContain(secret);
  });

  it('words that only look a little like keys stay: ids, URLs, ordinary sentences', async () => {
    const id = await provider('Relay', OWN_KEY);
    const plain = 'content policy: video_68f0a1b2c3d4 rejected at https://status.example.test/incident/42 (task-risky-words)';
    jobError = plain;
    const task = await failedTask(id);
    expect(task.error).toBe(plain);
  });
});
