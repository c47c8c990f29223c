// First paint of the task list in real Chromium, 10,000 stored tasks: navigation -> the first task row
// on screen (the frame after it enters the DOM), and how many rows the DOM then holds.
// Candidate: the built UI from `npm run serve` (run `npm run build` first).
// Baseline: the least a page can do for the same result: a bare HTML page that opens a WebSocket to a
// bare `ws` server, asks once, gets the same first-page JSON SoraDesk sends, and adds one row.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { spawnServe } from '../electron/cli/test-support/serve-process';
import { launchChromium } from '../e2e/browser';
import { connectBenchClient } from './support/bench-client';
import type { BenchCase, Figure } from './support/figures';
import { seedDataDir } from './support/seed';
import { alternate, median } from './support/stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs before any page script: notes the frame after the first task row appears. */
const WATCH_FIRST_ROW = `
new MutationObserver((_, obs) => {
  if (!document.querySelector('[role="listitem"]')) return;
  obs.disconnect();
  requestAnimationFrame(() => { window.__firstRowAt = performance.now(); });
}).observe(document, { childList: true, subtree: true });
`;

const BARE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body><div id="list"></div><script>
const ws = new WebSocket('ws://' + location.host + '/ws');
ws.onopen = () => ws.send(JSON.stringify({ type: 'listTasks', id: 1, payload: { limit: 100 } }));
ws.onmessage = (e) => {
  const first = JSON.parse(e.data).payload.tasks[0];
  const row = document.createElement('div');
  row.setAttribute('role', 'listitem');
  row.textContent = first.prompt;
  document.getElementById('list').append(row);
};
</script></body></html>`;

async function bareServer(firstPage: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(BARE_PAGE);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws) => ws.on('message', () => ws.send(firstPage)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function firstRow(browser: Browser, url: string): Promise<{ ms: number; rows: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(WATCH_FIRST_ROW);
    await page.goto(url);
    const seen = () => (globalThis as { __firstRowAt?: number }).__firstRowAt;
    await page.waitForFunction(seen, undefined, { timeout: 30_000 });
    const ms = (await page.evaluate(seen))!;
    await page.waitForTimeout(300);
    return { ms, rows: await page.locator('[role="listitem"]').count() };
  } finally {
    await context.close();
  }
}

const cases: BenchCase[] = [
  {
    name: 'first task row in Chromium',
    async run(ctx): Promise<Figure[]> {
      const total = ctx.quick ? 300 : 10_000;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-bench-firstrow-'));
      await seedDataDir(dataDir, total, 0);
      const serve = spawnServe(dataDir);
      let browser: Browser | null = null;
      let bare: Awaited<ReturnType<typeof bareServer>> | null = null;
      try {
        const info = await serve.ready();
        if (!fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) throw new Error('the UI is not built: run `npm run build` first');
        const client = await connectBenchClient(info.wsUrl, info.token);
        const page = await client.request('listTasks', { limit: 100 });
        await client.close();
        bare = await bareServer(JSON.stringify({ ...page, id: 1 }));
        browser = await launchChromium();
        const appUrl = `${info.httpUrl}#token=${encodeURIComponent(info.token)}`;
        const r = await alternate({ rounds: ctx.quick ? 1 : 9, warmup: 1 }, () => firstRow(browser!, bare!.url), () => firstRow(browser!, appUrl));
        const label = `${total.toLocaleString('en')} stored tasks`;
        return [
          {
            name: `navigation -> first task row on screen (${label})`, unit: 'ms',
            baselineIs: 'a bare page: one WebSocket ask to a bare ws server, one row',
            baseline: median(r.baseline.map((x) => x.ms)), candidate: median(r.candidate.map((x) => x.ms)),
            target: { candidateAtMost: 500 }, rounds: r.candidate.length,
          },
          {
            name: `task rows in the DOM after the first paint (${label})`, unit: 'rows',
            baselineIs: 'every stored task (a list that is not virtualised)',
            baseline: total, candidate: Math.max(...r.candidate.map((x) => x.rows)),
            target: { candidateAtMost: 200 }, rounds: r.candidate.length,
          },
        ];
      } finally {
        await browser?.close();
        await bare?.close();
        await serve.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  },
];

export default cases;
