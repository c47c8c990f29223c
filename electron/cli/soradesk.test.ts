// The `soradesk` command against a running SoraDesk: `npm run serve` as its own process on a temp data
// dir, the command reaching it through connection.json over the real WebSocket door. The headline runs
// (create --wait --out, a failing job, Ctrl-C, a usage error) start the bin as a user does; the others
// run the same program in this process, against the same service.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { ApiClient } from '../core/test-support/api-client';
import { tempDirForTest } from '../core/test-support/after-test';
import { formOf, sendJson, startRecordingUpstream, type RecordingUpstream } from '../core/providers/test-support/recording-upstream';
import { spawnServe, type ServeProcess } from './test-support/serve-process';
import { events, FAST_DEMO_ENV, hasFfprobe, NO_FFPROBE, probeVideo, runSoradesk, soradeskInProcess, spawnSoradesk } from './test-support/soradesk-run';

const sample = path.resolve(import.meta.dirname, '../../resources/demo/sample.mp4');
let service: ServeProcess;
let dataDir: string;
let api: ApiClient;
let outside: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'soradesk-cli-'));
  outside = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'soradesk-cli-cwd-'));
  service = spawnServe(dataDir, ['--secret-store', 'memory', '--no-ui'], FAST_DEMO_ENV);
  const info = await service.ready();
  api = await ApiClient.connect(info.wsUrl, info.token);
  await api.request('updateSettings', { pollIntervalMs: 250 });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await service?.stop();
  for (const d of [dataDir, outside]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const cli = (...args: string[]) => soradeskInProcess(['--data-dir', dataDir, ...args]);
const bin = (...args: string[]) => runSoradesk(['--data-dir', dataDir, ...args], { cwd: outside });

async function createTask(prompt: string): Promise<TaskView> {
  const { task } = await api.contract.request('createTask', { prompt });
  return task;
}

async function settled(videoId: string, done: (t: TaskView) => boolean): Promise<TaskView> {
  for (;;) {
    const t = await api.contract.request('getTask', { videoId });
    if (done(t)) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('soradesk against a running SoraDesk', () => {
  it('create --wait --out writes a playable MP4, prints its path, exits 0, and shows progress on stderr', async (ctx) => {
    const out = path.join(outside, 'cat.mp4');
    const run = await bin('create', 'A calico cat playing a piano', '--wait', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    const progress = run.stderr.split('\n').filter((l) => /^[A-Z]+ \d+%$/.test(l));
    expect(progress.at(-1)).toBe('COMPLETED 100%');
    const percents = progress.map((l) => Number(l.split(' ')[1].slice(0, -1)));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // The task is the running service's: the command started no core of its own.
    const { tasks } = await api.contract.request('listTasks', { search: 'calico cat playing' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0].status).toBe('COMPLETED');
    if (!hasFfprobe) ctx.skip(NO_FFPROBE);
    expect(probeVideo(out)).toMatchObject({ codec: 'h264', format: expect.stringContaining('mp4'), frames: expect.any(Number) });
    expect(probeVideo(out).frames).toBeGreaterThan(0);
  }, 60_000);

  it("a failing job exits 1 with the upstream's message", async () => {
    const run = await bin('create', 'a fox [fail]', '--wait');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^FAILED \S+: The demo simulator failed this job because its prompt contains \[fail\]\. \(video_generation_failed\)$/);
  }, 60_000);

  it('Ctrl-C during --wait stops waiting with 130 and says the job goes on; it does go on', async () => {
    const p = spawnSoradesk(['--data-dir', dataDir, 'create', 'a heron [slow]', '--wait'], { cwd: outside });
    await expect.poll(() => p.stderr(), { timeout: 30_000 }).toMatch(/PROCESSING \d+%/);
    p.child.kill('SIGINT');
    const run = await p.done;
    expect(run.code).toBe(130);
    const videoId = /Created (\S+)/.exec(run.stderr)?.[1] ?? '';
    expect(run.stderr).toContain(`Stopped waiting for ${videoId}. The job goes on in SoraDesk; \`soradesk wait ${videoId}\` follows it again.`);
    expect((await api.contract.request('getTask', { videoId })).status).toBe('PROCESSING');
  }, 60_000);

  it('a bad command line exits 2 with the usage hint and sends nothing', async () => {
    const before = (await api.contract.request('getStats')).total;
    const run = await bin('create', 'a cat', '--size', 'big');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--size: size must look like 1280x720');
    const unknown = await bin('create', 'a cat', '--colour', 'red');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown option '--colour'");
    expect(unknown.stderr).toContain('soradesk --help');
    expect((await api.contract.request('getStats')).total).toBe(before);
  }, 60_000);

  it('create without --wait prints the id at once; --json prints one created event', async () => {
    const run = await cli('--json', 'create', 'an owl at dusk', '--seconds', '8', '--size', '1280x720');
    expect(run.code).toBe(0);
    const [created, ...rest] = events(run.stdout);
    expect(rest).toEqual([]);
    expect(created).toMatchObject({ event: 'created', task: { prompt: 'an owl at dusk', seconds: '8', size: '1280x720', status: 'PENDING' } });
    const plain = await cli('create', 'an owl at dawn');
    expect(plain.code).toBe(0);
    const id = plain.stdout.trim();
    expect((await api.contract.request('getTask', { videoId: id })).prompt).toBe('an owl at dawn');
  });

  it('--json with --wait: one object per event, created, updates in order, saved', async () => {
    const out = path.join(outside, 'json.mp4');
    const run = await cli('--json', 'create', 'a lighthouse in fog', '--wait', '--out', out);
    expect(run.code).toBe(0);
    const lines = events(run.stdout);
    expect(lines[0].event).toBe('created');
    const updates = lines.filter((l) => l.event === 'update').map((l) => l.task as TaskView);
    expect(updates.at(-1)?.status).toBe('COMPLETED');
    expect(updates.map((t) => t.progress)).toEqual(updates.map((t) => t.progress).sort((a, b) => a - b));
    expect(lines.at(-1)).toMatchObject({ event: 'saved', path: out, bytes: fs.statSync(sample).size });
  }, 30_000);

  it('--image sends the file as the reference image (a multipart upload to the provider)', async () => {
    const up: RecordingUpstream = await startRecordingUpstream((req, res) =>
      sendJson(res, 200, { id: 'video_ref', object: 'video', model: 'sora-2', status: 'queued', progress: 0, created_at: 1764380000, seconds: '4', size: '720x1280', prompt: 'a koi pond' }));
    try {
      const { provider } = await api.contract.request('saveProvider', { name: 'Recording relay', dialect: 'openai', baseUrl: up.url, apiKey: 'test-key-0123456789abcdef' });
      const image = path.join(outside, 'koi.png');
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really pixels')]);
      fs.writeFileSync(image, png);
      const run = await cli('create', 'a koi pond', '--provider', provider.id, '--image', image);
      expect(run.code).toBe(0);
      const videoId = run.stdout.trim();
      await settled(videoId, (t) => t.status === 'QUEUED');
      const post = up.requests.find((r) => r.method === 'POST');
      const form = await formOf(post!);
      const file = form.get('input_reference') as File;
      expect(file.name).toBe('koi.png');
      expect(file.type).toBe('image/png');
      expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
      await api.contract.request('deleteProvider', { id: provider.id });
    } finally {
      await up.close();
    }
  }, 30_000);

  it('wait follows a task made elsewhere to its end (exit 0, the file), and a cancelled one exits 1', async () => {
    const t = await createTask('wait check: a crane');
    const out = path.join(outside, 'crane.mp4');
    const run = await cli('wait', t.videoId, '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    expect(fs.readFileSync(out)).toEqual(fs.readFileSync(sample));
    const slow = await createTask('wait check: a stork [slow]');
    await api.contract.request('cancelTask', { videoId: slow.videoId });
    const cancelled = await cli('wait', slow.videoId);
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr.trim().split('\n').at(-1)).toBe(`CANCELLED ${slow.videoId}: the task was cancelled`);
  }, 30_000);

  it('list shows tasks newest first; --status filters; --json is one task per line and a total', async () => {
    const a = await createTask('list check: a red kite [slow]');
    const b = await createTask('list check: a blue kite [slow]');
    await api.contract.request('cancelTask', { videoId: a.videoId });
    const table = await cli('list', '--search', 'list check');
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^ID\s+STATUS\s+PROGRESS\s+PROVIDER\s+CREATED\s+PROMPT$/);
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual([b.videoId, a.videoId]);
    expect(rows[2]).toMatch(/\sCANCELLED\s/);
    const json = await cli('--json', 'list', '--search', 'list check', '--status', 'cancelled');
    expect(events(json.stdout)).toEqual([{ event: 'task', task: expect.objectContaining({ videoId: a.videoId, status: 'CANCELLED' }) }, { event: 'listed', count: 1, total: 1 }]);
    const wrong = await cli('list', '--status', 'DONE');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("option '--status <statuses>' argument 'DONE' is invalid");
  });

  it("status shows a task's state and prompt; an unknown id exits 1 with SoraDesk's message", async () => {
    const t = await createTask('status check: a snow leopard');
    const done = await settled(t.videoId, (v) => v.status === 'COMPLETED');
    const run = await cli('status', t.videoId);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`task      ${t.videoId}  COMPLETED 100%`);
    expect(run.stdout).toContain('prompt    status check: a snow leopard');
    expect(run.stdout).toContain(`provider  demo  (job ${done.externalId})`);
    const missing = await cli('status', 'vid_nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('No task with videoId "vid_nope"');
  }, 30_000);

  it('cancel ends a running task (CANCELLED, exit 0); a finished one cannot be cancelled (exit 1)', async () => {
    const t = await createTask('cancel check: a mole [slow]');
    const run = await cli('cancel', t.videoId);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`CANCELLED ${t.videoId}`);
    expect((await api.contract.request('getTask', { videoId: t.videoId })).status).toBe('CANCELLED');
    const finished = await createTask('cancel check: a finished mole');
    await settled(finished.videoId, (v) => v.status === 'COMPLETED');
    const again = await cli('cancel', finished.videoId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('The task is already COMPLETED and cannot be cancelled');
  }, 30_000);

  it("download saves the library's kept file, or fetches it through SoraDesk when none is kept", async () => {
    const kept = await createTask('download check: kept');
    const keptView = await settled(kept.videoId, (v) => v.localPath !== null);
    const fromLibrary = await cli('--json', 'download', kept.videoId, '--out', outside);
    expect(fromLibrary.code).toBe(0);
    const saved = events(fromLibrary.stdout)[0];
    expect(saved).toMatchObject({ event: 'saved', from: 'library', path: path.join(outside, path.basename(keptView.localPath!)) });
    expect(fs.readFileSync(saved.path as string)).toEqual(fs.readFileSync(sample));

    await api.request('updateSettings', { autoDownload: false });
    try {
      const streamed = await createTask('download check: streamed');
      await settled(streamed.videoId, (v) => v.status === 'COMPLETED');
      const out = path.join(outside, 'streamed.mp4');
      const run = await cli('--json', 'download', streamed.videoId, '--out', out);
      expect(run.code).toBe(0);
      expect(events(run.stdout)[0]).toMatchObject({ event: 'saved', from: 'service', path: out });
      expect(fs.readFileSync(out)).toEqual(fs.readFileSync(sample));
      expect(fs.readdirSync(outside).filter((f) => f.endsWith('.part'))).toEqual([]);
    } finally {
      await api.request('updateSettings', { autoDownload: true });
    }

    const running = await createTask('download check: not yet [slow]');
    const early = await cli('download', running.videoId, '--out', path.join(outside, 'early.mp4'));
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/is (PENDING|QUEUED|PROCESSING): it has no video yet \(soradesk wait \S+ --out FILE waits for it\)/);
    expect(fs.existsSync(path.join(outside, 'early.mp4'))).toBe(false);
    const noOut = await cli('download', running.videoId);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '--out <file>' not specified");
  }, 30_000);

  it('providers lists the profiles with the default marked and never a key', async () => {
    const { provider } = await api.contract.request('saveProvider', { name: 'Listed relay', dialect: 'sora', baseUrl: 'http://127.0.0.1:9', apiKey: 'test-key-never-printed-0123456789' });
    try {
      const run = await cli('providers');
      expect(run.code).toBe(0);
      const rows = run.stdout.split('\n').filter(Boolean);
      expect(rows[0]).toMatch(/^\s+ID\s+NAME\s+DIALECT\s+KEY\s+BASE URL$/);
      // The first profile a user saves becomes the default (docs/protocol.md): it carries the mark.
      const { settings } = await api.contract.request('getSettings');
      expect(settings.defaultProviderId).toBe(provider.id);
      expect(rows.filter((r) => r.startsWith('*'))).toEqual([expect.stringMatching(new RegExp(`^\\*\\s+${provider.id}\\s+Listed relay\\s+sora\\s+set\\s+http://127\\.0\\.0\\.1:9$`))]);
      expect(rows.find((r) => r.includes(' demo '))).toMatch(/^\s+demo\s+Demo \(offline simulator\)\s+openai\s+none needed\s+http:\/\/127\.0\.0\.1:\d+$/);
      const json = await cli('--json', 'providers');
      expect(events(json.stdout)).toContainEqual({ event: 'provider', provider: expect.objectContaining({ id: provider.id, hasApiKey: true }), isDefault: true });
      expect(events(json.stdout)).toContainEqual({ event: 'provider', provider: expect.objectContaining({ id: 'demo' }), isDefault: false });
      expect(run.stdout + json.stdout).not.toContain('never-printed');
    } finally {
      await api.contract.request('deleteProvider', { id: provider.id });
    }
  });

  it('batch FILE: a CSV with a bad row names the row and creates nothing; a .txt batch --wait follows it to its end', async () => {
    const bad = path.join(outside, 'shots.csv');
    fs.writeFileSync(bad, 'prompt,seconds\na lighthouse,4\na harbour,four\n');
    const refused = await cli('batch', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}, line 3: seconds "four" is not a whole number of seconds. Nothing was sent.`);
    expect((await api.contract.request('listBatches', {})).batches).toEqual([]);

    const txt = path.join(outside, 'shots.txt');
    fs.writeFileSync(txt, 'a lighthouse at dawn\n\na harbour at night\n');
    const run = await cli('batch', txt, '--name', 'two shots', '--wait');
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(run.stderr).toContain('2 of 2 done');
    const { batches } = await api.contract.request('listBatches', {});
    expect(batches.find((b) => b.id === id)).toMatchObject({ name: 'two shots', total: 2, state: 'done', counts: { COMPLETED: 2 } });
    const page = await api.contract.request('listTasks', { search: 'harbour at night' });
    expect(page.tasks[0]).toMatchObject({ batchId: id, status: 'COMPLETED', cost: { estimate: 0, actual: 0, currency: 'USD' } });
  });

  it('diagnostics writes the zip (into --out DIR when given) and prints its path', async () => {
    const into = tempDirForTest('soradesk-diag-');
    const run = await cli('diagnostics', '--out', into);
    expect(run.code).toBe(0);
    const file = run.stdout.trim();
    expect(path.dirname(file)).toBe(into);
    expect(file).toMatch(/soradesk-diagnostics-.+\.zip$/);
    expect(fs.readFileSync(file).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The service made it (its own copy stays in the data dir's diagnostics/).
    expect(fs.readdirSync(path.join(dataDir, 'diagnostics'))).toContain(path.basename(file));
  });
});
