// Keyboard use in real Chromium: every action reachable, dialogs trap the focus, Escape closes
// them and the focus goes back to the button that opened them.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, taskRow } from './page-helpers';
import { appUnderTest } from './app-under-test';

const app = appUnderTest();

// Browser-side snippets as strings: this file compiles without the DOM library.
/** The accessible-ish name of the focused element: its label, aria-label or text. */
const FOCUSED_NAME = `(() => {
  const el = document.activeElement;
  if (!el) return '';
  const label = el.getAttribute('aria-label');
  return (label ?? el.closest('label')?.querySelector('span')?.textContent ?? el.textContent ?? '').trim();
})()`;
const focused = async (page: Page) => String(await page.evaluate(FOCUSED_NAME));

async function tabTo(page: Page, name: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page)) === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

describe('from the keyboard alone', () => {
  it('writes a prompt, submits with Ctrl+Enter, and reaches the task actions by Tab and the menu by arrows', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('status', { name: /Connection: Connected/ }).waitFor();
    await tabTo(page, 'Prompt');
    const prompt = 'Paper boats on a rainy street, typed without a mouse';
    await page.keyboard.type(prompt);
    await page.keyboard.press('Control+Enter');
    const row = taskRow(page, prompt);
    await row.waitFor();
    await page.locator('body').focus();
    await tabTo(page, 'Stop tracking');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid'); // visible focus
    await tabTo(page, 'More');
    // The menu opens on its first item; arrows move; Escape closes it and gives the focus back.
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('Refresh progress');
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('Delete');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('Refresh progress');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('More');
    await page.context().close();
  });

  it('Delete asks in a modal dialog: Escape closes it, keeps the task and gives the focus back', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    const prompt = 'A lantern festival, deleted from the keyboard';
    await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
    await page.getByRole('button', { name: 'Generate' }).click();
    const row = taskRow(page, prompt);
    const more = row.getByRole('button', { name: 'More' });
    await more.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete this task?' });
    await dialog.waitFor();
    // The focus is inside the dialog and Tab keeps it there.
    for (let i = 0; i < 4; i++) {
      expect(await page.evaluate("Boolean(document.activeElement?.closest('dialog'))")).toBe(true);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);
    expect(await more.evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
    // Space on the focused button opens the menu again; End, Enter asks again; Enter on OK deletes.
    await page.keyboard.press('Space');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'OK' }).focus();
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    await page.context().close();
  });
});
