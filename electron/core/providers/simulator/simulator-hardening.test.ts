// The attacks of the review on the demo simulator, each reproduced: a forged Host (DNS rebinding), a
// page's no-cors text/plain POST, a flood of large prompts. Each must now be refused or bounded.
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderClient } from '../create-provider-client';
import { manualClock } from './test-support/manual-clock';
import { startSimulator, type Simulator } from './simulator';

let sim: Simulator;
beforeEach(async () => { sim = await startSimulator({ jobDurationMs: 1000, clock: manualClock() }); });
afterEach(async () => { await sim.close(); });

/** A raw request, so the Host and Origin headers are whatever an attacker makes them. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const port = (url: string) => new URL(url).port;
const client = () => createProviderClient({ dialect: 'openai', baseUrl: sim.baseUrl, apiKey: null });

describe('demo simulator doors', () => {
  it('refuses a forged Host (DNS rebinding) on every dialect and on the media host, and shows no prompt', async () => {
    await client().create({ prompt: 'my private demo prompt' });
    for (const path of ['/v1/videos', '/replicate/v1/predictions', '/gemini/v1beta/models']) {
      const res = await raw(sim.baseUrl + path, { headers: { host: `evil.example:${port(sim.baseUrl)}` } });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('my private demo prompt');
    }
    const del = await raw(`${sim.baseUrl}/v1/videos/x`, { method: 'DELETE', headers: { host: `evil.example:${port(sim.baseUrl)}` } });
    expect(del.status).toBe(403);
    expect((await raw(`${sim.mediaUrl}/media/${'0'.repeat(32)}.mp4`, { headers: { host: `evil.example:${port(sim.mediaUrl)}` } })).status).toBe(403);
    // Its own names still work.
    expect((await raw(`${sim.baseUrl}/v1/videos`, { headers: { host: `localhost:${port(sim.baseUrl)}` } })).status).toBe(200);
  });

  it('refuses a page on another origin, a no-cors text/plain POST included, and creates nothing', async () => {
    const body = JSON.stringify({ prompt: 'planted by a web page' });
    const cross = await raw(`${sim.baseUrl}/v1/videos`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' }, body });
    expect(cross.status).toBe(403);
    const nullOrigin = await raw(`${sim.baseUrl}/fal/fal-ai/veo3.1`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body });
    expect(nullOrigin.status).toBe(403);
    // Without an Origin (not a browser), only JSON is a request here.
    const plain = await raw(`${sim.baseUrl}/v1/videos`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(plain.status).toBe(415);
    const form = await raw(`${sim.baseUrl}/replicate/v1/models/kwaivgi/kling-v2.5-turbo-pro/predictions`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'input=1',
    });
    expect(form.status).toBe(415);
    expect((await client().list()).jobs).toEqual([]);
    expect(sim.stats().jobs).toBe(0);
  });

  it('keeps no request log unless a test asks for one', async () => {
    await client().create({ prompt: 'p' });
    await client().list();
    expect(sim.requests).toHaveLength(0);
    expect(sim.mediaRequests).toHaveLength(0);
  });
});

describe('demo simulator under a flood', () => {
  it('holds at most its cap of jobs and prompt text, dropping the oldest', async () => {
    const capped = await startSimulator({ jobDurationMs: 1000, clock: manualClock(), maxJobs: 40, maxPromptChars: 200_000 });
    try {
      const c = createProviderClient({ dialect: 'openai', baseUrl: capped.baseUrl, apiKey: null });
      const prompt = (i: number) => `${i} `.padEnd(32_000, 'x');
      let last = '';
      for (let i = 0; i < 120; i++) last = (await c.create({ prompt: prompt(i) })).externalId;
      const { jobs, promptChars } = capped.stats();
      expect(promptChars).toBeLessThanOrEqual(200_000);
      expect(jobs).toBeLessThanOrEqual(40);
      expect(jobs).toBe(Math.floor(200_000 / 32_000));
      // The newest is kept, the oldest went.
      expect((await c.retrieve(last)).prompt).toBe(prompt(119));
      expect((await c.list({ limit: 100 })).jobs.at(-1)?.prompt).toBe(prompt(120 - jobs));
      // Small prompts: the count caps it.
      for (let i = 0; i < 60; i++) await c.create({ prompt: `small ${i}` });
      expect(capped.stats().jobs).toBe(40);
    } finally {
      await capped.close();
    }
  });
});
