// The studio in real Chromium: the gallery and the player, selection with undoable bulk delete,
// search served by the core, a pasted token link, toasts at 800x600, the reference image dropped on
// the composer, the theme and the tab title. Demo jobs take 3 s here and are polled every second.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractClient } from '@shared/client/contract-client';
import { silentLogger } from '../electron/core/log';
import { openTaskStore } from '../electron/core/tasks/store';
import { sampleTask } from '../electron/core/tasks/test-support/store-sample-tasks';
import { appUnderTest } from './app-under-test';
import { openApp, taskRow, until } from './page-helpers';
import { serviceClient, untilStatus } from './service-client';

const BULK = 20;

/** Seeded before start: terminal tasks, so the poller leaves them be. */
async function seed(dataDir: string): Promise<void> {
  const store = await openTaskStore({ dataDir, logger: silentLogger });
  await Promise.all([
    store.put(sampleTask(100, { videoId: 'vid_calico', prompt: 'A calico cat playing a piano', status: 'CANCELLED' })),
    store.put(sampleTask(101, { videoId: 'vid_dog', prompt: 'A dog surfing a wave', status: 'CANCELLED' })),
    ...Array.from({ length: BULK }, (_, i) => store.put(sampleTask(i + 1, { prompt: `Bulk chore number ${i + 1}`, status: 'FAILED', error: 'Seeded failure' }))),
  ]);
  await store.close();
}

const app = appUnderTest(seed, { demoJobMs: 3000 });
let api: ContractClient;
const finished = ['A red kite over the dunes', 'A paper lantern on a river', 'A snail racing a leaf'];

beforeAll(async () => {
  api = await serviceClient(app.serve.connection);
  await api.request('updateSettings', { pollIntervalMs: 1000 });
  // One after another, so their creation times (the newest-first order) are distinct.
  const made = [];
  for (const prompt of finished) made.push((await api.request('createTask', { prompt, seconds: '4', size: '1280x720' })).task);
  await Promise.all(made.map((task) => untilStatus(api, task.videoId, 'COMPLETED')));
});

afterAll(() => api?.stop());

const count = (page: Page) => page.getByTestId('task-count').innerText();
// Browser-side reads: this file compiles without the DOM library.
const naturalWidth = (img: unknown) => (img as { naturalWidth: number }).naturalWidth;

describe('the gallery and the player', () => {
  it('shows every finished video\'s thumbnail, and the player moves with the arrow keys, Space pauses, Esc closes', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Gallery' }).click();
    const grid = page.getByRole('list', { name: 'Finished videos' });
    await until(() => grid.getByRole('listitem').count(), (n) => n === finished.length, 'a card per finished video');
    for (const prompt of finished) {
      const thumb = grid.getByRole('listitem', { name: prompt }).getByRole('img', { name: 'Thumbnail' });
      await until(() => thumb.evaluate(naturalWidth), (w) => w > 0, `the thumbnail of "${prompt}"`);
    }
    // Newest first: the last one made opens, then the arrows walk the grid's order.
    const order = [...finished].reverse();
    await grid.getByRole('button', { name: `Play: ${order[0]}` }).click();
    const player = page.getByRole('dialog', { name: 'Video player' });
    const prompt = player.getByTestId('lightbox-prompt');
    await prompt.getByText(order[0]).waitFor();
    await page.keyboard.press('ArrowRight');
    await prompt.getByText(order[1]).waitFor();
    await page.keyboard.press('ArrowRight');
    await prompt.getByText(order[2]).waitFor();
    await page.keyboard.press('ArrowRight'); // the last one: stays
    await prompt.getByText(order[2]).waitFor();
    await page.keyboard.press('ArrowLeft');
    await prompt.getByText(order[1]).waitFor();
    const video = player.locator('video');
    await until(() => video.evaluate((v) => (v as { readyState: number }).readyState), (n) => n >= 2, 'the video playing');
    const paused = () => video.evaluate((v) => (v as { paused: boolean }).paused);
    const before = await paused();
    await page.keyboard.press('Space');
    await until(paused, (p) => p !== before, 'Space to toggle playing');
    await page.keyboard.press('Escape');
    await player.waitFor({ state: 'detached' });
    // The choice is remembered.
    await page.reload();
    await page.getByRole('list', { name: 'Finished videos' }).waitFor();
    await page.getByRole('button', { name: 'List' }).click();
    await page.context().close();
  });
});

describe('selection and bulk actions', () => {
  it('click, Shift-click and Ctrl+A select; 20 deleted come back with Undo, and the service never lost them', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('bulk chore');
    await until(() => count(page), (c) => c.startsWith(`${BULK} of `), 'the 20 chores');
    const rows = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
    await rows.nth(0).getByRole('checkbox').click();
    await rows.nth(2).getByRole('checkbox').click({ modifiers: ['Shift'] });
    const bulk = page.getByRole('region', { name: 'Selected tasks' });
    await bulk.getByText('3 selected').waitFor();
    await page.getByRole('heading', { name: 'Tasks' }).click(); // out of the search field
    await page.keyboard.press('Control+a');
    await bulk.getByText(`${BULK} selected`).waitFor();
    expect(await bulk.getByRole('button', { name: `Retry failed (${BULK})` }).isEnabled()).toBe(true);

    await bulk.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${BULK} tasks?` });
    await dialog.getByRole('button', { name: 'OK' }).click();
    await until(() => rows.count(), (n) => n === 0, 'the rows gone');
    expect(await count(page)).toMatch(/^0 of /);
    const toast = page.getByRole('status').filter({ hasText: `${BULK} tasks deleted` });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await until(() => count(page), (c) => c.startsWith(`${BULK} of `), 'the 20 back');
    expect(await rows.count()).toBeGreaterThan(0);
    // Past the undo window: nothing was deleted in the service.
    await new Promise((r) => setTimeout(r, 6500));
    expect((await api.request('listTasks', { search: 'bulk chore' })).total).toBe(BULK);
    await page.context().close();
  });
});

describe('search', () => {
  it('"piano cat" finds "A calico cat playing a piano", served by the core, and the counter says N of total', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    const all = (await api.request('getStats')).total;
    await until(() => count(page), (c) => c === `${all} tasks`, 'the unfiltered count');
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('piano cat');
    await until(() => count(page), (c) => c === `1 of ${all}`, 'one match of all');
    const rows = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
    expect(await rows.count()).toBe(1);
    await taskRow(page, 'A calico cat playing a piano').waitFor();
    // Accents and case do not matter either.
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('CÁLICO');
    await until(() => count(page), (c) => c === `1 of ${all}`, 'the accent-free match');
    await page.context().close();
  });
});

describe('the token link pasted into an open tab', () => {
  it('opens the app without a reload', async () => {
    const page = await openApp(app.browser, app.serve.connection.httpUrl);
    await page.getByRole('heading', { name: 'Open SoraDesk from the app' }).waitFor();
    await page.evaluate('window.__sameDocument = true');
    await page.evaluate(`location.hash = ${JSON.stringify(`#token=${encodeURIComponent(app.serve.connection.token)}`)}`);
    await page.getByRole('status', { name: /Connection: Connected/ }).waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(page.url()).not.toContain('token');
    await page.context().close();
  });
});

describe('toasts in an 800x600 window', () => {
  it('never overlap the Generate button, and name their task', async () => {
    const page = await openApp(app.browser, app.serve.appUrl, { viewport: { width: 800, height: 600 } });
    // Something half-written keeps the composer open while the focus is elsewhere.
    await page.getByRole('textbox', { name: 'Prompt' }).fill('A half-written idea');
    const generate = page.getByRole('button', { name: 'Generate' });
    await generate.waitFor();
    // A task finishing (a toast that names it) and the most toasts at once.
    const { task } = await api.request('createTask', { prompt: 'A tiny toast of a task', seconds: '4', size: '1280x720' });
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Refresh all' }).click();
    await page.getByRole('status').getByText('Video ready: “A tiny toast of a task”').waitFor({ timeout: 30_000 });
    const button = await generate.boundingBox();
    expect(button!.y + button!.height).toBeLessThanOrEqual(600); // in sight, not scrolled away
    const toasts = page.locator('.toast');
    expect(await toasts.count()).toBeGreaterThanOrEqual(2);
    for (const box of await Promise.all((await toasts.all()).map((t) => t.boundingBox()))) {
      const apart = box!.x + box!.width <= button!.x || button!.x + button!.width <= box!.x || box!.y + box!.height <= button!.y || button!.y + button!.height <= box!.y;
      expect(apart).toBe(true);
    }
    // A click on the named toast shows the task.
    await page.getByRole('button', { name: 'Video ready: “A tiny toast of a task”' }).click();
    await page.locator(`[data-video-id="${task.videoId}"]:focus`).waitFor();
    await page.context().close();
  });
});

describe('the composer and the shell', () => {
  it('a dropped reference image shows its preview and can be taken away', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';
    await page.getByTestId('reference-dropzone').waitFor();
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(png)}), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'reference.png', { type: 'image/png' }));
      const zone = document.querySelector('[data-testid="reference-dropzone"]');
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    const preview = page.getByRole('img', { name: 'Reference image preview' });
    await until(() => preview.evaluate(naturalWidth), (w) => w === 2, 'the preview');
    await page.getByRole('button', { name: 'Remove image' }).click();
    await preview.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('the theme applies at once, and the tab title counts the running jobs', async () => {
    const page = await openApp(app.browser, app.serve.appUrl, { colorScheme: 'light' });
    const theme = () => page.evaluate('document.documentElement.dataset.theme') as Promise<string>;
    expect(await theme()).toBe('light');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await until(theme, (v) => v === 'dark', 'the dark theme');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await until(theme, (v) => v === 'light', 'the system (light) theme');
    await api.request('createTask', { prompt: 'A job that never ends [slow]', seconds: '4', size: '1280x720' });
    await until(() => page.title(), (title) => /^\d+ running · SoraDesk$/.test(title), 'the running count in the title');
    await page.context().close();
  });
});
