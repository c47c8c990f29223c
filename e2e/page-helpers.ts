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

/** The bar's value now (a running task's; a finished one has no bar). */
export async function progressOf(row: Locator): Promise<number> {
  return Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
}

/** Picks an action from a task card's More menu. */
export async function fromMore(page: Page, row: Locator, action: string): Promise<void> {
  await row.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: action }).click();
}

/**
 * Records, inside the page, every value a task's progress bar shows (each DOM change, not a sample
 * now and then), until `stop` is read back.
 */
export async function recordBar(page: Page, videoId: string): Promise<{ values(): Promise<number[]> }> {
  const key = `__bar_${videoId}`;
  await page.evaluate(`(() => {
    const seen = window[${JSON.stringify(key)}] = [];
    const look = () => {
      const bar = document.querySelector('[data-video-id=${JSON.stringify(videoId)}] [role="progressbar"]');
      const v = bar && bar.getAttribute('aria-valuenow');
      if (v !== null && v !== undefined && seen[seen.length - 1] !== Number(v)) seen.push(Number(v));
    };
    look();
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  })()`);
  return { values: async () => (await page.evaluate(`window[${JSON.stringify(key)}]`)) as number[] };
}

export async function createTask(page: Page, prompt: string, providerName?: string): Promise<Locator> {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  if (providerName) await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: providerName });
  await page.getByRole('button', { name: 'Generate' }).click();
  const row = taskRow(page, prompt);
  await row.waitFor({ timeout: 15_000 });
  return row;
}
