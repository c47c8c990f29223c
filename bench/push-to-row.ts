// From a push to the updated row on screen, with 10,000 tasks loaded in the page: `npm run build`,
// then `node --import tsx bench/push-to-row.ts [runs]`. A service (`npm run serve`) holds 10,000
// finished tasks and follows 5 running ones on a stand-in upstream on 127.0.0.1 whose progress this
// script moves; Chromium shows the list with all 10,000 loaded (scrolled through to the end and back).
// Each run moves one running task's progress and asks the service (requestTaskStatus); the service
// pushes taskUpdated to the page. Inside the page: when that push arrives on the WebSocket, when the
// row's bar shows the new value (the DOM), and the next animation frame after that (painted by then).
// Reduced motion is on, so the bar shows a new value at once instead of gliding to it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { silentLogger } from '../electron/core/log';
import { openTaskStore } from '../electron/core/tasks/store';
import { sampleTask } from '../electron/core/tasks/test-support/store-sample-tasks';
import { launchChromium } from '../e2e/browser';
import { startServe } from '../e2e/serve-harness';
import { serviceClient } from '../e2e/service-client';

const LOADED = 10_000;
const RUNNING = 5;
const RUNS = Number(process.argv[2] ?? 40);

async function seed(dataDir: string): Promise<void> {
  const store = await openTaskStore({ dataDir, logger: silentLogger });
  await Promise.all(Array.from({ length: LOADED }, (_, n) => store.put(sampleTask(n, { status: n % 10 === 0 ? 'FAILED' : 'CANCELLED', error: n % 10 === 0 ? 'Seeded failure' : null }))));
  await store.close();
  // No routine polls during the runs: every push is one this script asked for.
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ settings: { pollIntervalMs: 3_600_000 } }));
}

/** A stand-in openai-dialect upstream whose jobs' progress the script sets. */
function startUpstream(progress: Map<string, number>): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const id = decodeURIComponent((req.url ?? '').split('?')[0].split('/').pop() ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'video', status: 'in_progress', progress: progress.get(id) ?? 1, model: 'sora-2', seconds: '4', size: '1280x720', created_at: 1 }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })));
}

// In the page, before the app: the arrival of each taskUpdated push, and each value a bar shows.
const INSTRUMENT = `(() => {
  const pushes = (window.__pushAt = new Map());
  const shown = (window.__shownAt = new Map());
  const painted = (window.__paintedAt = new Map());
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const at = performance.now();
        const m = JSON.parse(e.data);
        if (m.type === 'taskUpdated' && m.id === undefined) {
          const key = m.payload.videoId + ':' + m.payload.progress;
          if (!pushes.has(key)) pushes.set(key, at);
        }
      });
    }
  };
  new MutationObserver((list) => {
    const at = performance.now();
    for (const r of list) {
      const slot = r.target.closest && r.target.closest('[data-video-id]');
      if (!slot) continue;
      const key = slot.getAttribute('data-video-id') + ':' + r.target.getAttribute('aria-valuenow');
      if (shown.has(key)) continue;
      shown.set(key, at);
      requestAnimationFrame(() => painted.set(key, performance.now()));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
})()`;

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)} (${s.length} runs)`;
}

async function main(): Promise<void> {
  const progress = new Map<string, number>();
  const upstream = await startUpstream(progress);
  const serve = await startServe(seed);
  const browser = await launchChromium();
  const api = await serviceClient(serve.connection);
  try {
    const { provider } = await api.request('saveProvider', { name: 'Bench upstream', dialect: 'openai', baseUrl: upstream.url, apiKey: 'bench-key-0123456789abcdef' });
    const running: string[] = [];
    for (let i = 0; i < RUNNING; i++) {
      progress.set(`job_${i}`, 1);
      running.push((await api.request('trackTask', { providerId: provider.id, externalId: `job_${i}`, prompt: `Running job ${i}` })).task.videoId);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.goto(serve.appUrl);
    await page.getByRole('listitem').first().waitFor({ timeout: 30_000 });
    // Load all 10,000 (and the running ones) into the page by scrolling to the end, then back up.
    const scroller = page.locator('.task-scroll');
    const deepest = async () => Number(await page.getByRole('listitem').last().getAttribute('aria-posinset'));
    for (let guard = 0; (await deepest()) < LOADED + RUNNING && guard < 2000; guard++) {
      await scroller.evaluate((el) => { (el as unknown as { scrollTop: number; scrollHeight: number }).scrollTop = 1e9; });
      await page.waitForTimeout(30);
    }
    const held = await deepest();
    if (held < LOADED + RUNNING) throw new Error(`the page loaded only ${held} tasks`);
    await scroller.evaluate((el) => { (el as unknown as { scrollTop: number }).scrollTop = 0; });
    for (const id of running) await page.locator(`[data-video-id="${id}"] [role="progressbar"]`).waitFor();
    process.stdout.write(`the page holds ${held} tasks; ${RUNS} runs\n`);

    const toDom: number[] = [];
    const toFrame: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const i = run % RUNNING;
      const value = 2 + Math.floor(run / RUNNING);
      progress.set(`job_${i}`, value);
      await api.request('requestTaskStatus', { videoId: running[i] });
      const key = `${running[i]}:${value}`;
      const times = await page.waitForFunction((k) => {
        const w = globalThis as unknown as Record<string, Map<string, number>>;
        const push = w.__pushAt.get(k);
        const dom = w.__shownAt.get(k);
        const frame = w.__paintedAt.get(k);
        return push !== undefined && dom !== undefined && frame !== undefined ? [push, dom, frame] : null;
      }, key, { timeout: 10_000 });
      const [push, dom, frame] = (await times.jsonValue()) as number[];
      toDom.push(dom - push);
      toFrame.push(frame - push);
      await page.waitForTimeout(50);
    }
    process.stdout.write(`push -> row updated in the DOM: ${stats(toDom)}\n`);
    process.stdout.write(`push -> next frame after it (on screen): ${stats(toFrame)}\n`);
    await context.close();
  } finally {
    api.stop();
    await browser.close();
    await serve.stop();
    upstream.close();
  }
}

await main();
