// 10,000 tasks in the store: the list stays virtualised (at most 200 rows in the DOM) while scrolling.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/core/log';
import { sampleTask } from '../electron/core/tasks/test-support/store-sample-tasks';
import { openTaskStore } from '../electron/core/tasks/store';
import { launchChromium } from './browser';
import { openApp, until } from './page-helpers';
import { type ServeHandle, startServe } from './serve-harness';

const TASKS = 10_000;
const MAX_ROWS = 200;
let serve: ServeHandle;
let browser: Browser;
let page: Page;

/** Seeds the data dir through the service's own store, so the files are exactly its format. */
async function seed(dataDir: string): Promise<void> {
  const store = await openTaskStore({ dataDir, logger: silentLogger });
  // Terminal tasks only, so the poller leaves them alone and the test measures the UI.
  await Promise.all(
    Array.from({ length: TASKS }, (_, n) =>
      store.put(n % 10 === 0 ? sampleTask(n, { status: 'FAILED', error: 'Seeded failure' }) : sampleTask(n, { status: 'CANCELLED' })),
    ),
  );
  await store.close();
}

const rowCount = () => page.getByRole('listitem').count();

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe(seed), launchChromium()]);
  page = await openApp(browser, serve.appUrl);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('10,000 tasks', () => {
  it('counts them all but renders at most 200 rows', async () => {
    await page.getByRole('button', { name: /^All\s*10000$/ }).waitFor({ timeout: 30_000 });
    await until(rowCount, (n) => n > 0, 'the first rows');
    expect(await rowCount()).toBeLessThanOrEqual(MAX_ROWS);
    const newest = page.getByRole('listitem').first();
    expect(await newest.innerText()).toContain(`number ${TASKS - 1} `);
  });

  it('keeps at most 200 rows while scrolling deep, loading further pages on the way', async () => {
    const scroller = page.locator('.task-scroll');
    for (let i = 0; i < 6; i++) {
      await scroller.evaluate((el) => {
        const e = el as unknown as { scrollTop: number; scrollHeight: number };
        e.scrollTop = e.scrollHeight;
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(await rowCount()).toBeLessThanOrEqual(MAX_ROWS);
    }
    // More than the first pages (30, then 100) is loaded (the last row shown sits past it), yet the DOM holds
    // only what is near the viewport.
    const deepest = await until(async () => Number(await page.getByRole('listitem').last().getAttribute('aria-posinset')), (n) => n > 100, 'more pages');
    expect(deepest).toBeGreaterThan(100);
    expect(await rowCount()).toBeLessThanOrEqual(MAX_ROWS);
  });

  it('opens with one socket: auth, then a first page of 30 right behind it, and nothing asked twice', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fresh = await context.newPage();
    const sockets: string[][] = [];
    fresh.on('websocket', (ws) => {
      const frames: string[] = [];
      sockets.push(frames);
      ws.on('framesent', (f) => frames.push(String(f.payload)));
    });
    await fresh.goto(serve.appUrl);
    await fresh.getByRole('listitem').first().waitFor({ timeout: 30_000 });
    await fresh.getByRole('button', { name: /^All\s*10000$/ }).waitFor({ timeout: 30_000 });
    const sent = sockets[0].map((f) => JSON.parse(f) as { type: string; payload?: { limit?: number } });
    expect(sockets).toHaveLength(1);
    expect(sent.slice(0, 2).map((m) => m.type)).toEqual(['auth', 'listTasks']);
    expect(sent[1].payload?.limit).toBe(30);
    expect(sent.filter((m) => m.type === 'listTasks')).toHaveLength(1);
    expect(await fresh.getByRole('listitem').first().innerText()).toContain(`number ${TASKS - 1} `);
    await context.close();
  });
});
