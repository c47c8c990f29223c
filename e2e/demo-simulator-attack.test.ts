// The review's attack on the demo simulator, in real Chromium: a page on another origin (here another
// port of 127.0.0.1) POSTs a demo job with a no-cors text/plain request and tries to read the jobs. The
// simulator must refuse both; nothing is created.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderClient } from '../electron/core/providers/create-provider-client';
import { startSimulator, type Simulator } from '../electron/core/providers/simulator/simulator';
import { launchChromium } from './browser';

let sim: Simulator;
let browser: Browser;
let evil: http.Server;
let evilUrl: string;

beforeAll(async () => {
  sim = await startSimulator({ jobDurationMs: 1000, recordRequests: true });
  evil = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>a page elsewhere</title>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => evil?.close(resolve));
  await sim?.close();
});

describe('the demo simulator against a page on another origin', () => {
  it('creates nothing from a no-cors POST and lets the page read nothing', async () => {
    const page = await browser.newPage();
    await page.goto(evilUrl);
    const outcome = await page.evaluate(async (base) => {
      const body = JSON.stringify({ prompt: 'planted by a web page' });
      // The attack that worked: a simple request needs no preflight, and no-cors sends it anyway.
      await fetch(`${base}/v1/videos`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }).catch(() => undefined);
      await fetch(`${base}/replicate/v1/models/kwaivgi/kling-v2.5-turbo-pro/predictions`, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ input: { prompt: 'planted' } }) }).catch(() => undefined);
      let read = 'nothing';
      try {
        read = await (await fetch(`${base}/v1/videos`)).text();
      } catch {
        read = 'blocked';
      }
      return read;
    }, sim.baseUrl);
    expect(outcome).toBe('blocked');
    await page.close();
    // The POSTs did reach the simulator (the browser sent them) and were refused there.
    expect(sim.requests.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(2);
    expect(sim.stats().jobs).toBe(0);
    const client = createProviderClient({ dialect: 'openai', baseUrl: sim.baseUrl, apiKey: null });
    expect((await client.list()).jobs).toEqual([]);
  });
});
