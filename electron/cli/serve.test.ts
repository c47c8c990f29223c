// `npm run serve` as a user and a script see it: a real process group, real signals, the demo
// provider, a real WebSocket client, files on disk.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { ApiClient } from '../core/test-support/api-client';
import { spawnServe, type ServeProcess } from './test-support/serve-process';

const running: ServeProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-serve-'));
  dirs.push(d);
  return d;
}

function serve(dataDir: string, args?: string[]): ServeProcess {
  const p = spawnServe(dataDir, args);
  running.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const isTask = (videoId: string, status: string) => (m: ServerEnvelope) =>
  m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId && (m.payload as TaskView).status === status;

describe('npm run serve', () => {
  it('lets a script create a demo task through every dialect and watch each complete, with no key configured', async () => {
    const dataDir = tempDir();
    const proc = serve(dataDir);
    const info = await proc.ready();

    expect(info.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(info.httpUrl).toBe(info.wsUrl.replace('ws://', 'http://').replace(/ws$/, ''));
    expect(info.pid).toBeGreaterThan(0);
    expect(fs.statSync(path.join(dataDir, 'connection.json')).mode & 0o777).toBe(0o600);
    await expect.poll(() => proc.output()).toContain(`${info.httpUrl}#token=${info.token}`);

    const client = await ApiClient.connect(info.wsUrl, info.token);
    await client.request('updateSettings', { pollIntervalMs: 300 });
    const created = await client.request('createTask', { prompt: 'A calico cat playing a piano on stage' });
    expect(created.type).toBe('taskCreated');
    const task = (created.payload as { task: TaskView }).task;
    expect(task.providerId).toBe('demo');
    // The other demo providers, one per dialect, at the same time.
    const others: TaskView[] = [];
    for (const providerId of ['demo-gemini', 'demo-fal', 'demo-replicate']) {
      const reply = await client.request('createTask', { providerId, prompt: `A calico cat playing a piano (${providerId})` });
      others.push((reply.payload as { task: TaskView }).task);
    }

    const done = await client.waitFor(isTask(task.videoId, 'COMPLETED'), { includePast: true });
    const view = done.payload as TaskView;
    expect(view.progress).toBe(100);
    expect(view.externalId).toBeTruthy();

    // The progress the script saw only ever went up.
    const seen = client.messages.filter((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === task.videoId).map((m) => (m.payload as TaskView).progress);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    // The finished video plays from the media route, with the token, and not without.
    const media = await fetch(`${info.httpUrl}media/${task.videoId}?variant=video&token=${encodeURIComponent(info.token)}`, { headers: { Range: 'bytes=0-99' } });
    expect(media.status).toBe(206);
    expect(Buffer.from(await media.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect((await fetch(`${info.httpUrl}media/${task.videoId}?variant=video`)).status).toBe(401);
    for (const other of others) {
      const finished = (await client.waitFor(isTask(other.videoId, 'COMPLETED'), { includePast: true })).payload as TaskView;
      expect(finished.model).toBeTruthy();
      const video = await fetch(`${info.httpUrl}media/${other.videoId}?variant=video&token=${encodeURIComponent(info.token)}`, { headers: { Range: 'bytes=0-99' } });
      expect(video.status).toBe(206);
      expect(Buffer.from(await video.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp');
    }
    await client.close();
  }, 60_000);

  it('flushes, removes connection.json and exits 0 on SIGTERM and on SIGINT', async () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const dataDir = tempDir();
      const proc = serve(dataDir);
      const info = await proc.ready();
      const client = await ApiClient.connect(info.wsUrl, info.token);
      const created = await client.request('createTask', { prompt: `stored before ${sig}` });
      const videoId = (created.payload as { task: TaskView }).task.videoId;

      proc.signal(sig);
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(fs.existsSync(path.join(dataDir, 'connection.json'))).toBe(false);

      // What was stored is there at the next start, and the old token no longer opens the door.
      const again = serve(dataDir);
      const info2 = await again.ready();
      expect(info2.token).not.toBe(info.token);
      const stale = await ApiClient.connect(info2.wsUrl);
      const refused = await stale.request('auth', { token: info.token });
      expect(refused.payload).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await stale.closed).code).toBe(4401);
      const fresh = await ApiClient.connect(info2.wsUrl, info2.token);
      const got = await fresh.request('getTask', { videoId });
      expect((got.payload as TaskView).prompt).toBe(`stored before ${sig}`);
      await fresh.close();
      await again.stop();
    }
  }, 60_000);

  it('refuses a second service on the same data dir in one line, exit 3 (README "Exit codes")', async () => {
    const dataDir = tempDir();
    const first = serve(dataDir);
    const info = await first.ready();
    const second = serve(dataDir);
    const { code } = await second.exited;
    expect(code).toBe(3);
    expect(second.output().trim().split('\n').at(-1)).toBe(`SoraDesk could not start: another SoraDesk (pid ${info.pid}) is already using the data directory ${dataDir}. Stop it first, or choose another folder with --data-dir DIR.`);
    // The first one is unharmed and still answers.
    const client = await ApiClient.connect(info.wsUrl, info.token);
    expect((await client.request('ping')).type).toBe('pong');
    await client.close();
  }, 60_000);

  it('loses nothing it announced when killed with SIGKILL during a write storm', async () => {
    const dataDir = tempDir();
    const proc = serve(dataDir);
    const info = await proc.ready();
    const client = await ApiClient.connect(info.wsUrl, info.token);

    const announced = new Map<string, TaskView>();
    const total = 300;
    let killedAt = 0;
    const killed = new Promise<void>((resolve) => {
      client.ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as ServerEnvelope;
        const view = msg.type === 'taskCreated' ? (msg.payload as { task: TaskView }).task : msg.type === 'taskUpdated' ? (msg.payload as TaskView) : null;
        if (!view || killedAt) return;
        announced.set(view.videoId, view);
        if (announced.size >= total / 3) {
          killedAt = announced.size;
          proc.signal('SIGKILL');
          resolve();
        }
      });
    });
    for (let i = 0; i < total; i++) client.send({ type: 'createTask', id: i, payload: { prompt: `storm ${i}` } });
    await killed;
    await proc.exited;
    expect(fs.existsSync(path.join(dataDir, 'connection.json'))).toBe(true); // a crash leaves it behind

    const again = serve(dataDir);
    const info2 = await again.ready({ stale: info });
    const reader = await ApiClient.connect(info2.wsUrl, info2.token);
    const list = await reader.request('listTasks', { limit: 500 });
    const stored = new Map((list.payload as { tasks: TaskView[] }).tasks.map((t) => [t.videoId, t]));
    for (const [videoId, view] of announced) {
      const now = stored.get(videoId);
      expect(now, `announced task ${videoId} is stored`).toBeDefined();
      expect(now!.prompt).toBe(view.prompt);
      // An upstream id anyone was told about is never lost.
      if (view.externalId) expect(now!.externalId).toBe(view.externalId);
    }
    await reader.close();
  }, 90_000);

  it('recovers a corrupt database at start and says so', async () => {
    const dataDir = tempDir();
    const proc = serve(dataDir);
    const info = await proc.ready();
    const client = await ApiClient.connect(info.wsUrl, info.token);
    const ids: string[] = [];
    for (const p of ['first', 'second']) ids.push(((await client.request('createTask', { prompt: p })).payload as { task: TaskView }).task.videoId);
    await client.close();
    await proc.stop();

    const activeFile = path.join(dataDir, 'tasks-active.json');
    const good = fs.readFileSync(activeFile, 'utf8');
    fs.writeFileSync(activeFile, good.slice(0, Math.floor(good.length / 2))); // torn write

    const again = serve(dataDir);
    const info2 = await again.ready();
    const reader = await ApiClient.connect(info2.wsUrl);
    const notice = reader.waitFor((m) => m.type === 'notice');
    await reader.request('auth', { token: info2.token });
    expect((await notice).payload).toMatchObject({ level: 'warning', code: 'STORE_RECOVERED' });
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('tasks-active.json.corrupt-'))).toBe(true);
    const list = await reader.request('listTasks', {});
    const restored = (list.payload as { tasks: TaskView[] }).tasks.map((t) => t.videoId);
    // The last good copy is back: at least the first task, which the previous good write held.
    expect(restored).toContain(ids[0]);
    expect(again.output()).toMatch(/corrupt|damaged/i);
    await reader.close();
  }, 60_000);
});

describe('API keys under npm run serve', () => {
  it('sends the key only to the provider origin and writes it to no file and no log line', async () => {
    const apiKey = 'test-key-0123456789abcdef-do-not-leak';
    const seen: Array<{ server: 'provider' | 'cdn'; auth: string | undefined; url: string }> = [];
    const cdn = http.createServer((req, res) => {
      seen.push({ server: 'cdn', auth: req.headers.authorization, url: req.url ?? '' });
      res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(Buffer.from('....ftypisom'));
    });
    await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
    const cdnUrl = `http://localhost:${(cdn.address() as { port: number }).port}`;
    const provider = http.createServer((req, res) => {
      seen.push({ server: 'provider', auth: req.headers.authorization, url: req.url ?? '' });
      const job = { id: 'video_leak_1', object: 'video', status: 'completed', progress: 100, created_at: 1, model: 'sora-2', seconds: '4', size: '720x1280', video_url: `${cdnUrl}/v.mp4` };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(job));
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    const providerUrl = `http://127.0.0.1:${(provider.address() as { port: number }).port}`;

    try {
      const dataDir = tempDir();
      const store = process.env.DBUS_SESSION_BUS_ADDRESS ? 'keychain' : 'memory';
      const proc = serve(dataDir, ['--secret-store', store, '--log-level', 'debug']);
      const info = await proc.ready();
      const client = await ApiClient.connect(info.wsUrl, info.token);
      const saved = await client.request('saveProvider', { name: 'Leak check', dialect: 'openai', baseUrl: providerUrl, apiKey });
      const provView = (saved.payload as { provider: { id: string; apiKeyHint: string } }).provider;
      expect(provView.apiKeyHint).toBe('leak');
      const created = await client.request('createTask', { providerId: provView.id, prompt: 'leak check' });
      const videoId = (created.payload as { task: TaskView }).task.videoId;
      await client.waitFor(isTask(videoId, 'COMPLETED'), { includePast: true });
      const media = await fetch(`${info.httpUrl}media/${videoId}?token=${encodeURIComponent(info.token)}`);
      expect(media.status).toBe(200);
      await client.close();
      await proc.stop();

      expect(seen.filter((s) => s.server === 'provider').every((s) => s.auth === `Bearer ${apiKey}`)).toBe(true);
      expect(seen.filter((s) => s.server === 'cdn').length).toBeGreaterThan(0);
      expect(seen.filter((s) => s.server === 'cdn').every((s) => s.auth === undefined)).toBe(true);

      const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(2);
      for (const f of files) {
        const full = path.join(f.parentPath, f.name);
        expect(fs.readFileSync(full, 'latin1').includes(apiKey), `${full} holds the key`).toBe(false);
      }
      expect(proc.output()).not.toContain(apiKey);
      expect(client.messages.some((m) => JSON.stringify(m).includes(apiKey))).toBe(false);
    } finally {
      provider.close();
      cdn.close();
    }
  }, 60_000);
});
