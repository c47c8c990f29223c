// The new dialects in real Chromium, against the demo: add a provider of each (Gemini, fal, Replicate),
// pick a model and see only its durations and sizes, generate, and watch the video complete and play.
// Catalog edits, and "price unknown" for a model the catalog does not know.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, taskRow, until } from './page-helpers';
import { appUnderTest } from './app-under-test';

const app = appUnderTest();

const DIALECTS = [
  { label: 'Google Gemini API (Veo)', demo: 'Demo: Gemini API (Veo)', name: 'My Veo', model: 'Veo 3.1 Fast', durations: ['4', '6', '8'], bigSize: '1920x1080', bigDurations: ['8'], sizes: 6 },
  { label: 'fal (queue API)', demo: 'Demo: fal', name: 'My fal', model: 'Kling 2.5 Turbo Pro (fal)', durations: ['5', '10'], bigSize: '1440x1440', bigDurations: ['5', '10'], sizes: 3 },
  { label: 'Replicate (predictions)', demo: 'Demo: Replicate', name: 'My Replicate', model: 'Hailuo 2.3 (Replicate)', durations: ['6', '10'], bigSize: '1920x1080', bigDurations: ['6'], sizes: 2 },
];

const options = (page: Page, name: string) =>
  page.getByRole('combobox', { name }).locator('option').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));

async function addProvider(page: Page, d: (typeof DIALECTS)[number]): Promise<void> {
  await page.getByRole('button', { name: 'Providers' }).click();
  const demoUrl = await page.getByRole('listitem', { name: d.demo }).locator('dd.mono').first().innerText();
  await page.getByRole('textbox', { name: 'Name' }).fill(d.name);
  await page.getByRole('combobox', { name: 'Dialect' }).selectOption({ label: d.label });
  // The dialect brings its provider's own address; here it is the demo's.
  expect(await page.getByRole('textbox', { name: 'Base URL' }).inputValue()).toMatch(/^https:\/\//);
  await page.getByRole('textbox', { name: 'Base URL' }).fill(demoUrl);
  await page.getByLabel('API key').fill('test-key-0123456789abcdef');
  await page.getByRole('button', { name: 'Save provider' }).click();
  await page.getByRole('listitem', { name: d.name }).waitFor();
}

describe('a provider of each new dialect, against the demo', () => {
  it('offers only the chosen model\'s durations and sizes, and its video completes and plays', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Poll interval (seconds)' }).fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    for (const d of DIALECTS) await addProvider(page, d);

    await page.getByRole('button', { name: 'Tasks' }).click();
    const prompts: string[] = [];
    for (const d of DIALECTS) {
      await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: d.name });
      await page.getByRole('combobox', { name: 'Model' }).selectOption({ label: d.model });
      expect(await options(page, 'Duration (seconds)')).toEqual(d.durations);
      expect(await options(page, 'Size')).toHaveLength(d.sizes);
      // A size that allows fewer durations offers only those.
      await page.getByRole('combobox', { name: 'Size' }).selectOption(d.bigSize);
      expect(await options(page, 'Duration (seconds)')).toEqual(d.bigDurations);
      await page.getByRole('status', { name: 'Price' }).waitFor();
      const prompt = `A calico cat playing a piano, through ${d.name}`;
      prompts.push(prompt);
      await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
      await page.getByRole('button', { name: 'Generate' }).click();
      await taskRow(page, prompt).waitFor({ timeout: 15_000 });
    }
    for (const [i, prompt] of prompts.entries()) {
      const row = taskRow(page, prompt);
      await until(() => row.getByText('Completed', { exact: true }).count(), (n) => n > 0, `${DIALECTS[i].name}'s task to complete`, 75_000);
      await expect(row.getByText(DIALECTS[i].bigSize).count()).resolves.toBe(1);
      // Play opens the player on it; the video plays there.
      await row.getByRole('button', { name: 'Play', exact: true }).click();
      const player = page.getByRole('dialog', { name: 'Video player' });
      const video = player.locator('video');
      await until(() => video.evaluate((el) => (el as unknown as { readyState: number }).readyState), (n) => n >= 2, 'video data');
      const played = await video.evaluate(async (el) => {
        const v = el as unknown as { muted: boolean; play(): Promise<void>; pause(): void; currentTime: number };
        v.muted = true;
        await v.play();
        await new Promise((r) => setTimeout(r, 400));
        v.pause();
        return v.currentTime;
      });
      expect(played).toBeGreaterThan(0);
      await page.keyboard.press('Escape');
      await player.waitFor({ state: 'detached' });
    }
    await page.context().close();
  });
});

describe('the model catalog in Providers', () => {
  it('edits an entry and the composer follows it; a model the catalog does not know has no known price', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Providers' }).click();
    const demoUrl = await page.getByRole('listitem', { name: 'Demo: fal' }).locator('dd.mono').first().innerText();
    await page.getByRole('textbox', { name: 'Name' }).fill('Edited fal');
    await page.getByRole('combobox', { name: 'Dialect' }).selectOption({ label: 'fal (queue API)' });
    await page.getByRole('textbox', { name: 'Base URL' }).fill(demoUrl);
    await page.getByRole('button', { name: 'Save provider' }).click();
    const card = page.getByRole('listitem', { name: 'Edited fal' });
    await card.getByText('3 models').waitFor();
    await card.getByRole('button', { name: 'Edit' }).click();
    const veo = page.getByRole('listitem', { name: 'Veo 3.1 (fal)' });
    await veo.getByRole('textbox', { name: 'Durations (s)' }).fill('8');
    await veo.getByRole('textbox', { name: 'Price per second' }).fill('0.5');
    await page.getByRole('listitem', { name: 'Veo 3 Fast (fal)' }).getByRole('button', { name: 'Remove model' }).click();
    await page.getByRole('button', { name: 'Save provider' }).click();
    await card.getByText('2 models').waitFor();

    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: 'Edited fal' });
    await page.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Veo 3.1 (fal)' });
    expect(await options(page, 'Duration (seconds)')).toEqual(['8']);
    await page.getByRole('status', { name: 'Price' }).getByText('$0.50 per second · about $4.00 for this video').waitFor();
    await page.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Other model…' });
    await page.getByRole('textbox', { name: 'Model id' }).fill('fal-ai/some-new-model');
    await page.getByRole('status', { name: 'Price' }).getByText('Price unknown').waitFor();
    await page.context().close();
  });
});
