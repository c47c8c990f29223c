// A small window (900x600): the composer folds to one line so the task list keeps the space, and
// unfolds when the prompt is used; Ctrl+N reaches it from anywhere.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, taskRow } from './page-helpers';
import { appUnderTest } from './app-under-test';

const app = appUnderTest();

const listShare = async (page: Page) =>
  Number(await page.evaluate("document.querySelector('.task-scroll').getBoundingClientRect().height / innerHeight"));

describe('a 900x600 window', () => {
  it('folds the composer to one line, unfolds it on the prompt and folds it again once sent', async () => {
    const page = await openApp(app.browser, app.serve.appUrl, { viewport: { width: 900, height: 600 } });
    await page.getByRole('status', { name: /Connection: Connected/ }).waitFor();
    const generate = page.getByRole('button', { name: 'Generate' });
    expect(await generate.count()).toBe(0);
    expect(await listShare(page)).toBeGreaterThan(0.6);
    const prompt = page.getByRole('textbox', { name: 'Prompt' });
    await prompt.click();
    await generate.waitFor();
    await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: 'Demo (offline simulator)' });
    await prompt.fill('A small window still makes videos');
    await page.keyboard.press('Control+Enter');
    await taskRow(page, 'A small window still makes videos').waitFor();
    await generate.waitFor({ state: 'detached' });
    expect(await listShare(page)).toBeGreaterThan(0.6);
    await page.context().close();
  });

  it('Ctrl+N from another view opens the Tasks view with the prompt focused', async () => {
    const page = await openApp(app.browser, app.serve.appUrl, { viewport: { width: 900, height: 600 } });
    await page.getByRole('button', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
    await page.keyboard.press('Control+n');
    await page.getByRole('button', { name: 'Generate' }).waitFor();
    expect(await page.evaluate("document.activeElement?.tagName + ':' + document.activeElement?.closest('label')?.textContent")).toMatch(/^TEXTAREA:Prompt/);
    await page.context().close();
  });
});

describe('a 1280x800 window', () => {
  it('shows the whole composer beside the list', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Generate' }).waitFor();
    expect(await listShare(page)).toBeGreaterThan(0.8);
    await page.context().close();
  });
});
