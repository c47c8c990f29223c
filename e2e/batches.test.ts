// Batches and spending in real Chromium: a CSV with a bad row is refused by its line, a CSV of 10 prompts
// is estimated, confirmed above the threshold, followed as "X of 10 done", paused and resumed, and the
// day's bar in the Spending view grows by what it cost. The provider is a profile of one's own pointed
// at the demo simulator, with a catalog entry the user priced at 0.10 a second.
import type { ContractClient } from '@shared/client/contract-client';
import type { ModelEntry } from '@shared/contract/model';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUnderTest } from './app-under-test';
import { openApp, until } from './page-helpers';
import { serviceClient } from './service-client';

const app = appUnderTest(undefined, { demoJobMs: 2_500 });
let client: ContractClient;

beforeAll(async () => {
  client = await serviceClient(app.serve.connection);
  const demo = (await client.request('listProviders')).providers.find((p) => p.id === 'demo')!;
  const priced: ModelEntry = { ...demo.models[0], id: demo.models[0].id, pricePerSecond: 0.1, currency: 'USD', origin: 'user' };
  await client.request('saveProvider', { name: 'Priced relay', dialect: 'openai', baseUrl: demo.baseUrl, models: [priced], maxActiveJobs: 2 });
  await client.request('updateSettings', { pollIntervalMs: 400, batchConfirmAbove: 1 });
});

afterAll(() => client?.stop());

const csvOf = (rows: string[]) => Buffer.from(['prompt,seconds', ...rows].join('\n'));

async function todaysBar(page: Page): Promise<number> {
  const bars = page.getByRole('listitem').and(page.locator('.spend-bar'));
  await bars.last().waitFor();
  return Number(await bars.last().getAttribute('data-amount'));
}

async function openBatchDialog(page: Page) {
  await page.getByRole('button', { name: 'New batch' }).click();
  const dialog = page.getByRole('dialog', { name: 'New batch' });
  await dialog.getByRole('button', { name: 'From a file' }).click();
  await dialog.getByLabel('Provider').selectOption({ label: 'Priced relay' });
  return dialog;
}

describe('batches and spending in the UI', () => {
  it('a CSV with a bad row is named by its line and nothing can be sent', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    const dialog = await openBatchDialog(page);
    await dialog.locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: csvOf(['a quiet harbour,4', 'a loud harbour,four']) });
    await dialog.getByRole('alert').filter({ hasText: 'Line 3: seconds "four" is not a whole number of seconds' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Send batch' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await client.request('listBatches')).batches).toEqual([]);
    await page.context().close();
  });

  it('import a CSV of 10 prompts, see the estimate, confirm, watch X of 10, pause and resume, and see the day\'s bar grow', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Spending' }).click();
    const before = await todaysBar(page);
    await page.getByRole('button', { name: 'Tasks' }).click();

    const dialog = await openBatchDialog(page);
    const rows = Array.from({ length: 10 }, (_, i) => `shot ${i + 1} of a lighthouse,4`);
    await dialog.locator('input[type=file]').setInputFiles({ name: 'lighthouse.csv', mimeType: 'text/csv', buffer: csvOf(rows) });
    // 10 x 4 s x 0.10 = 4.00, before anything is sent.
    await dialog.getByTestId('batch-estimate').filter({ hasText: '10 videos · estimated $4.00' }).waitFor();
    expect((await client.request('listBatches')).batches).toEqual([]);
    await dialog.getByRole('button', { name: 'Send batch' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'This batch is estimated at $4.00, above your threshold of $1.00' }).waitFor();
    expect((await client.request('listBatches')).batches).toEqual([]);
    await dialog.getByRole('button', { name: 'Send it' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('group', { name: 'lighthouse.csv' });
    await row.getByText(/^\d+ of 10 done$/).waitFor();
    const [{ id }] = (await client.request('listBatches')).batches;
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByText('Paused', { exact: true }).waitFor();
    // Paused: what was not sent waits here, held; nothing new is sent while it is paused.
    const paused = await until(async () => (await client.request('listBatches')).batches[0], (b) => b.counts.PENDING === b.held && b.held > 0, 'held items while paused');
    const sent = 10 - paused.held;
    await new Promise((r) => setTimeout(r, 1_500));
    const still = (await client.request('listBatches')).batches[0];
    expect(10 - still.held).toBe(sent);
    await row.getByRole('button', { name: 'Resume' }).click();
    await row.getByText('10 of 10 done').waitFor({ timeout: 60_000 });
    const done = (await client.request('listBatches')).batches.find((b) => b.id === id)!;
    expect(done).toMatchObject({ state: 'done', counts: { COMPLETED: 10 }, estimate: 4 });

    await page.getByTestId('spend-today').filter({ hasText: '$4.00' }).waitFor();
    await page.getByRole('button', { name: 'Spending' }).click();
    const after = await until(() => todaysBar(page), (a) => a >= before + 4 - 1e-9, "today's bar");
    expect(after).toBeCloseTo(before + 4, 6);
    await page.context().close();
  }, 90_000);

  it('over the daily limit: Generate is refused naming the limit; a batch waits, and goes when the limit is raised in Spending', async () => {
    const spent = (await client.request('getSpend', { groupBy: 'day' })).total.USD ?? 0;
    await client.request('updateSettings', { budget: { dailyLimit: spent, monthlyLimit: null } });
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('one video too many');
    await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: 'Priced relay' });
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByText(/would pass the daily limit of/).first().waitFor();
    expect((await client.request('listTasks', { search: 'one video too many' })).total).toBe(0);

    await page.getByRole('button', { name: 'New batch' }).click();
    const dialog = page.getByRole('dialog', { name: 'New batch' });
    await dialog.getByLabel('Provider').selectOption({ label: 'Priced relay' });
    await dialog.getByLabel('Prompts, one a line').fill('held heron\nheld crane');
    await dialog.getByLabel('Batch name').fill('held pair');
    await dialog.getByTestId('batch-estimate').filter({ hasText: '2 videos · estimated $0.80' }).waitFor();
    await dialog.getByRole('button', { name: 'Send batch' }).click();
    const row = page.getByRole('group', { name: 'held pair' });
    // Held, not failed, and nothing sent.
    await row.getByText('2 waiting here').waitFor();
    await page.getByRole('note').filter({ hasText: 'Held: sending it would pass a spending limit' }).first().waitFor();

    await page.getByRole('button', { name: 'Spending' }).click();
    await page.getByRole('textbox', { name: 'Daily limit', exact: true }).fill(String(spent + 1));
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('button', { name: 'Tasks' }).click();
    await row.getByText('2 of 2 done').waitFor({ timeout: 60_000 });
    await page.context().close();
  }, 90_000);
});
