// Small helpers for driving the UI the way a user does: by roles and visible words.
import type { Browser, Locator, Page } from 'playwright-core';

export async function openApp(browser: Browser, url: string, opts: { colorScheme?: 'light' | 'dark'; locale?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.locale ?? 'en-US',
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

export function taskRow(page: Page, prompt: string): Locator {
  return page.getByRole('listitem').filter({ hasText: prompt });
}

/** Polls an async condition: the app works over a live socket, so some things take a while. */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, limitMs = 60_000): Promise<T> {
  const start = Date.now();
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

export async function progressOf(row: Locator): Promise<number> {
  return Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
}

export async function createTask(page: Page, prompt: string, providerName?: string): Promise<Locator> {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  if (providerName) await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: providerName });
  await page.getByRole('button', { name: 'Generate' }).click();
  const row = taskRow(page, prompt);
  await row.waitFor({ timeout: 15_000 });
  return row;
}
