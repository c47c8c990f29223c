// The demo keeps its jobs in the data dir, and hands out URLs that name it rather than this launch's
// port: a demo job created before a restart completes after it, and its video is found where the demo
// is now, never at the port it used to have (where anything may listen by then).
import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderClient } from '../create-provider-client';
import { startRecordingUpstream, type RecordingUpstream } from '../test-support/recording-upstream';
import { bytes } from '../test-support/dialect-test-support';
import { manualClock, type ManualClock } from './test-support/manual-clock';
import { defaultSampleDir } from './sim-media';
import { SIM_STATE_FILE } from './sim-persist';
import { startSimulator, type Simulator } from './simulator';

const DURATION = 1000;
const NAMES = { api: 'http://demo.soradesk.invalid', media: 'http://media.demo.soradesk.invalid' };
let dataDir: string;
let clock: ManualClock;
const open: Array<{ close(): Promise<void> }> = [];
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sim-persist-'));
  clock = manualClock();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await rm(dataDir, { recursive: true, force: true });
});

async function demo(): Promise<Simulator> {
  const sim = await startSimulator({ jobDurationMs: DURATION, clock, dataDir, publicOrigins: NAMES });
  open.push(sim);
  return sim;
}
/** A client of the demo as the service makes one: the demo's names stand for this launch's ports. */
const clientOf = (sim: Simulator, dialect: 'openai' | 'replicate' | 'fal' | 'gemini') => createProviderClient({
  dialect, baseUrl: dialect === 'openai' ? NAMES.api : `${NAMES.api}/${dialect}`, apiKey: null,
  originAliases: { [NAMES.api]: sim.baseUrl, [NAMES.media]: sim.mediaUrl },
});
/** Something else that took the port the demo had. */
async function squat(url: string): Promise<RecordingUpstream> {
  const up = await startRecordingUpstream((_r, res) => res.end('not the demo'), Number(new URL(url).port));
  open.push(up);
  return up;
}

describe('demo simulator across restarts', () => {
  it('completes a job created before a restart on other ports, and serves its video where it is now', async () => {
    const first = await demo();
    const created = await clientOf(first, 'replicate').create({ prompt: 'a red fox', model: 'kwaivgi/kling-v2.5-turbo-pro' });
    const gem = await clientOf(first, 'gemini').create({ prompt: 'a blue fox', model: 'veo-3.1-fast-generate-001' });
    clock.advance(DURATION / 2);
    await first.close();
    const old = { api: first.baseUrl, media: first.mediaUrl };
    const squatters = [await squat(old.api), await squat(old.media)];

    const second = await demo();
    expect(second.baseUrl).not.toBe(old.api);
    expect(second.mediaUrl).not.toBe(old.media);
    const halfway = await clientOf(second, 'replicate').retrieve(created.externalId);
    expect(halfway).toMatchObject({ status: 'PROCESSING', prompt: 'a red fox' });
    clock.advance(DURATION);
    const done = await clientOf(second, 'replicate').retrieve(created.externalId);
    expect(done.status).toBe('COMPLETED');
    // The URL names the demo, not a port: it is the same whichever launch answered.
    expect(done.videoUrl).toMatch(/^http:\/\/media\.demo\.soradesk\.invalid\/media\//);

    const sample = await readFile(path.join(defaultSampleDir(), 'sample.mp4'));
    const video = await clientOf(second, 'replicate').fetchContent({ externalId: done.externalId, videoUrl: done.videoUrl }, 'video');
    expect((await bytes(video.body)).equals(sample)).toBe(true);
    const veo = await clientOf(second, 'gemini').retrieve(gem.externalId);
    const veoVideo = await clientOf(second, 'gemini').fetchContent({ externalId: veo.externalId, videoUrl: veo.videoUrl }, 'video');
    expect((await bytes(veoVideo.body)).equals(sample)).toBe(true);
    expect(squatters.flatMap((s) => s.requests)).toEqual([]);
  });

  it('fetches an openai demo video stored with an old port from where the demo is now', async () => {
    const first = await startSimulator({ jobDurationMs: DURATION, clock, dataDir });
    open.push(first);
    const c1 = createProviderClient({ dialect: 'openai', baseUrl: first.baseUrl, apiKey: null });
    const job = await c1.create({ prompt: 'stored before this version named the demo' });
    const storedUrl = `${first.baseUrl}/v1/videos/${job.externalId}/content`;
    await first.close();
    const squatter = await squat(first.baseUrl);
    const second = await demo();
    clock.advance(DURATION);
    const video = await clientOf(second, 'openai').fetchContent({ externalId: job.externalId, videoUrl: storedUrl }, 'video');
    expect(video.status).toBe(200);
    expect(video.headers['content-type']).toBe('video/mp4');
    video.body.resume();
    expect(squatter.requests).toEqual([]);
  });

  it('starts empty, keeping the file aside, when its state cannot be read', async () => {
    fs.writeFileSync(path.join(dataDir, SIM_STATE_FILE), '{"version":1,"jobs":[tor');
    const sim = await demo();
    expect(sim.stats().jobs).toBe(0);
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith(`${SIM_STATE_FILE}.unreadable-`))).toBe(true);
    await clientOf(sim, 'openai').create({ prompt: 'fresh start' });
    await sim.close();
    const again = await demo();
    expect(again.stats().jobs).toBe(1);
  });

  it('writes its state with mode 0600 and keeps its caps when it reads it back', async () => {
    const first = await startSimulator({ jobDurationMs: DURATION, clock, dataDir, maxJobs: 100 });
    open.push(first);
    const c = createProviderClient({ dialect: 'openai', baseUrl: first.baseUrl, apiKey: null });
    for (let i = 0; i < 30; i++) await c.create({ prompt: `job ${i}` });
    await first.close();
    expect(fs.statSync(path.join(dataDir, SIM_STATE_FILE)).mode & 0o777).toBe(0o600);
    const second = await startSimulator({ jobDurationMs: DURATION, clock, dataDir, maxJobs: 10 });
    open.push(second);
    expect(second.stats().jobs).toBe(10);
    const c2 = createProviderClient({ dialect: 'openai', baseUrl: second.baseUrl, apiKey: null });
    expect((await c2.list({ limit: 100 })).jobs.map((j) => j.prompt)).toEqual(Array.from({ length: 10 }, (_, i) => `job ${29 - i}`));
  });
});
