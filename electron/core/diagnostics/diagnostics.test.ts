// "Export diagnostics" after a real run with an API key: the real core with its log file, a real
// upstream on 127.0.0.1 that insists on the key, a real WebSocket client, the zip opened with Debian's
// `unzip`, and every file in it searched for the key, the token and the prompt.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { createCore } from '../core';
import type { Core } from '../core-types';
import { createAppLogging } from '../logging';
import { createSecretStore } from '../secrets/create-secret-store';
import { createConfBackend } from '../settings/conf-backend';
import { afterTest, tempDirForTest } from '../test-support/after-test';
import { ApiClient } from '../test-support/api-client';
import { scrubLogLine } from './diagnostics-bundle';
import { zipBytes } from './zip-file';

const KEY = 'sk-diag-test-0123456789abcdef-q7zX';
const PROMPT = 'A very private prompt about a lighthouse keeper named Ingrid';
const tempDir = () => tempDirForTest('soradesk-diag-');

/** An openai-dialect upstream that answers only to `Bearer KEY`, with a finished job and its video. */
async function keyedUpstream(): Promise<{ url: string; authorized: () => number }> {
  let authorized = 0;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${KEY}`) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":{"message":"bad key"}}');
    authorized++;
    if (req.url?.endsWith('/content')) return void res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(Buffer.from('....ftypisom-diag'));
    const job = { id: 'video_diag_1', object: 'video', status: 'completed', progress: 100, created_at: 1, model: 'sora-2', seconds: '4', size: '720x1280' };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(job));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterTest(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorized: () => authorized };
}

function unzip(file: string): Map<string, string> {
  const dir = tempDir();
  execFileSync('unzip', ['-q', file, '-d', dir]);
  const files = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files.set(path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'));
  }
  return files;
}

async function runWithKey(): Promise<{ core: Core; client: ApiClient; token: string; dataDir: string; logDir: string }> {
  const dataDir = tempDir();
  const upstream = await keyedUpstream();
  const { logger, logDir, file } = createAppLogging({ dataDir, level: 'debug', console: false });
  afterTest(() => file.close());
  // The real keychain when a Secret Service is there (npm run test:all), memory otherwise.
  const secrets = createSecretStore(process.env.DBUS_SESSION_BUS_ADDRESS ? 'keychain' : 'memory');
  const core = createCore({ dataDir, settings: createConfBackend({ cwd: dataDir }), secrets, logger, diagnostics: { appVersion: '9.9.9-test', mode: 'serve' } });
  const info = await core.start();
  afterTest(() => core.stop());
  const client = await ApiClient.connect(info.wsUrl, info.token);
  afterTest(async () => { await client.close(); });

  const saved = await client.request('saveProvider', { name: 'Keyed relay', dialect: 'openai', baseUrl: upstream.url, apiKey: KEY });
  const providerId = (saved.payload as { provider: { id: string } }).provider.id;
  afterTest(async () => { await secrets.delete(`provider:${providerId}`); });
  await client.request('updateSettings', { pollIntervalMs: 250 });
  const created = await client.request('createTask', { providerId, prompt: PROMPT });
  const videoId = (created.payload as { task: TaskView }).task.videoId;
  await client.waitFor((m: ServerEnvelope) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId && Boolean((m.payload as TaskView).localPath), { includePast: true });
  expect(upstream.authorized()).toBeGreaterThan(0); // the key really was used
  return { core, client, token: info.token, dataDir, logDir };
}

describe('export diagnostics', () => {
  it('after a run with a key: a zip with logs, versions, OS, settings, counts and providers, and no key, token or prompt', async () => {
    const { client, token, dataDir, logDir } = await runWithKey();
    expect(fs.readFileSync(path.join(logDir, 'soradesk.log'), 'utf8')).toContain('video kept in the library');

    const reply = await client.request('exportDiagnostics', {});
    expect(reply.type).toBe('diagnosticsExported');
    const zip = (reply.payload as { path: string }).path;
    expect(path.dirname(zip)).toBe(path.join(dataDir, 'diagnostics'));
    expect(fs.statSync(zip).mode & 0o777).toBe(0o600);

    const files = unzip(zip);
    expect([...files.keys()].sort()).toEqual(['README.txt', 'logs/soradesk.log', 'providers.json', 'settings.json', 'store.json', 'system.json', 'tasks.json']);
    for (const [name, text] of files) {
      expect(text.includes(KEY), `${name} holds the key`).toBe(false);
      expect(text.includes(KEY.slice(-4)), `${name} holds the key's hint`).toBe(false);
      expect(text.includes(token), `${name} holds the token`).toBe(false);
      expect(/Bearer\s+(?!\[redacted\])/.test(text), `${name} holds a Bearer value`).toBe(false);
      expect(text.includes('Ingrid'), `${name} holds the prompt`).toBe(false);
    }
    const system = JSON.parse(files.get('system.json')!);
    expect(system).toMatchObject({ app: { version: '9.9.9-test', mode: 'serve' }, versions: { node: process.versions.node }, os: { platform: process.platform, arch: process.arch } });
    expect(JSON.parse(files.get('providers.json')!)).toContainEqual(expect.objectContaining({ name: 'Keyed relay', dialect: 'openai', hasApiKey: true, origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) }));
    expect(JSON.parse(files.get('providers.json')!).map((p: { id: string }) => p.id)).toContain('demo');
    expect(JSON.parse(files.get('store.json')!).stats).toMatchObject({ total: 1, byStatus: { COMPLETED: 1 } });
    expect(JSON.parse(files.get('settings.json')!)).toMatchObject({ pollIntervalMs: 250 });
    const [task] = JSON.parse(files.get('tasks.json')!);
    expect(task).toMatchObject({ status: 'COMPLETED', keptInLibrary: true });
    expect(task).not.toHaveProperty('prompt');
    expect(task).not.toHaveProperty('videoUrl');
    // The log came along, line by line, still JSON; the library's file name (made from the prompt) left out.
    const logLines = files.get('logs/soradesk.log')!.trim().split('\n').map((l) => JSON.parse(l));
    expect(logLines.find((l) => l.msg === 'video kept in the library')).toMatchObject({ file: '[prompt left out]' });
    expect(logLines.some((l) => l.msg === 'service started')).toBe(true);
  }, 30_000);

  it('includes prompts (and still no key or token) only when asked', async () => {
    const { client, token } = await runWithKey();
    const reply = await client.request('exportDiagnostics', { includePrompts: true });
    const files = unzip((reply.payload as { path: string }).path);
    expect(JSON.parse(files.get('tasks.json')!)[0]).toMatchObject({ prompt: PROMPT, localPath: expect.stringContaining('lighthouse') });
    for (const [name, text] of files) {
      expect(text.includes(KEY), `${name} holds the key`).toBe(false);
      expect(text.includes(token), `${name} holds the token`).toBe(false);
    }
    expect((await client.request('exportDiagnostics', { includePrompts: 'yes' })).payload).toMatchObject({ code: 'BAD_REQUEST' });
  }, 30_000);
});

describe('log lines on their way into a bundle', () => {
  it('lose tokens, URL tokens, Bearer values and given secrets, and prompt-bearing fields unless prompts are wanted', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2NhbCJ9.c2lnbmF0dXJlLXBhcnQ';
    const line = JSON.stringify({ msg: `open http://127.0.0.1:5/#token=${jwt}`, url: 'https://cdn.example.test/v.mp4?sig=1&token=abc123', auth: 'Bearer zzz999', note: 'launch-secret-xyz', file: '/v/2026 a-lighthouse-keeper.mp4' });
    const out = scrubLogLine(line, { includePrompts: false, secrets: ['launch-secret-xyz'] });
    for (const gone of [jwt, 'abc123', 'zzz999', 'launch-secret-xyz', 'lighthouse']) expect(out).not.toContain(gone);
    expect(JSON.parse(out)).toMatchObject({ file: '[prompt left out]', auth: 'Bearer [redacted]' });
    expect(JSON.parse(scrubLogLine(line, { includePrompts: true, secrets: [] })).file).toContain('lighthouse');
    expect(scrubLogLine(`not json ${jwt}`, { includePrompts: false, secrets: [] })).toBe('not json [redacted-token]');
  });
});

describe('zip file', () => {
  it('is read back byte for byte by Debian\'s unzip, names in UTF-8', async () => {
    const dir = tempDir();
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    const file = path.join(dir, 'x.zip');
    fs.writeFileSync(file, await zipBytes([{ name: 'a/二进制.bin', data }, { name: 'empty.txt', data: '' }], new Date()));
    expect(execFileSync('unzip', ['-t', file]).toString()).toContain('No errors detected');
    expect(execFileSync('unzip', ['-p', file, 'a/二进制.bin'])).toEqual(data);
  });
});
