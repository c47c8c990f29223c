// The UI in real Chromium against `npm run serve` on the built-in demo provider.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTask, fromMore, openApp, progressOf, recordBar, taskRow, until } from './page-helpers';
import { appUnderTest } from './app-under-test';

const app = appUnderTest();

describe('opening the page', () => {
  it('without a token shows how to open SoraDesk, and no task form', async () => {
    const page = await openApp(app.browser, app.serve.connection.httpUrl);
    await page.getByRole('heading', { name: 'Open SoraDesk from the app' }).waitFor();
    expect(await page.getByText('npm run serve').count()).toBeGreaterThan(0);
    expect(await page.getByRole('textbox', { name: 'Prompt' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Generate' }).count()).toBe(0);
    await page.context().close();
  });

  it('with a wrong token shows the same help (the link is not valid), and no task form', async () => {
    const page = await openApp(app.browser, `${app.serve.connection.httpUrl}#token=not-the-token-0123456789`);
    await page.getByRole('heading', { name: 'Open SoraDesk from the app' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Prompt' }).count()).toBe(0);
    await page.context().close();
  });

  it('with the token: removes it from the address bar and stays signed in after a reload', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('status', { name: /Connection: Connected/ }).waitFor();
    expect(page.url()).not.toContain('token');
    await page.reload();
    await page.getByRole('status', { name: /Connection: Connected/ }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Prompt' }).count()).toBe(1);
    await page.context().close();
  });
});

describe('a task from prompt to video', () => {
  it('shows the bar moving (five values or more, never back), then "Completed", a toast naming it, and a playable video', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    // The page's own CSP (meta) and the service's header must let all of this through: any
    // violation or failed load shows up as a console error.
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) consoleErrors.push(m.text());
    });
    const prompt = 'A lighthouse in a storm, slow dolly in';
    const row = await createTask(page, prompt);
    const bar = await recordBar(page, String(await row.getAttribute('data-video-id')));
    await row.getByText('Completed', { exact: true }).waitFor({ timeout: 75_000 });
    // One demo job (~15 s, polled as the core sees fit): the bar showed at least five values on
    // the way, each one at least the one before.
    const values = await bar.values();
    expect(new Set(values).size).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    await page.getByRole('status').getByText(`Video ready: “${prompt}”`).waitFor();
    await until(() => row.getByRole('img', { name: 'Thumbnail' }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), (w) => w > 0, 'the thumbnail');
    // Play opens the player on it.
    await row.getByRole('button', { name: 'Play', exact: true }).click();
    const player = page.getByRole('dialog', { name: 'Video player' });
    const video = player.locator('video');
    const readyState = await until(() => video.evaluate((el) => (el as unknown as { readyState: number }).readyState), (n) => n >= 1, 'video metadata');
    expect(readyState).toBeGreaterThanOrEqual(1);
    await page.keyboard.press('Escape');
    await player.waitFor({ state: 'detached' });
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('Refresh progress fetches the fresh state when the poller would not', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    // A one-hour poll interval: from here on progress only moves when someone asks.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Poll interval (seconds)' }).fill('3600');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.getByRole('button', { name: 'Tasks' }).click();
    const prompt = 'Snow falling on a quiet village at night';
    const row = await createTask(page, prompt);
    await until(() => row.getByText(/^(Queued|Processing)$/).count(), (n) => n > 0, 'the upstream to accept the job', 20_000);
    const before = await progressOf(row);
    await new Promise((r) => setTimeout(r, 6000));
    expect(await progressOf(row)).toBe(before); // nothing polled meanwhile
    await fromMore(page, row, 'Refresh progress');
    await until(() => progressOf(row), (p) => p > before, 'the refreshed progress', 15_000);
    // Back to the default interval for the other tests.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Poll interval (seconds)' }).fill('10');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.context().close();
  });

  it('a failed job shows the upstream message in the row and in a toast', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    const prompt = 'A glass city at dawn [fail]';
    const row = await createTask(page, prompt);
    await row.getByText('Failed', { exact: true }).waitFor({ timeout: 60_000 });
    const message = 'The demo simulator failed this job because its prompt contains [fail].';
    await row.getByText(message).waitFor();
    await page.getByRole('status').getByText(message).waitFor();
    expect(await row.getByRole('button', { name: 'Retry' }).count()).toBe(1);
    await page.context().close();
  });
});

describe('language', () => {
  it('switching to 简体中文 shows 停止跟踪 and 刷新进度, and it survives a reload', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    const row = await createTask(page, 'A kite over green hills [slow]');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('button', { name: '任务' }).click();
    await row.getByRole('button', { name: '停止跟踪' }).waitFor();
    await page.reload();
    await row.getByRole('button', { name: '更多' }).click();
    await page.getByRole('menuitem', { name: '刷新进度' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: 'More' }).count()).toBe(0);
    // Back to English for whoever runs next.
    await page.getByRole('button', { name: '设置' }).click();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('en');
    await page.getByRole('button', { name: 'Tasks' }).waitFor();
    await page.context().close();
  });
});

describe('a provider with a bad key', () => {
  it('shows the upstream-unauthorised banner', async () => {
    // A stand-in upstream that refuses every key, as a relay with a revoked key would.
    const upstream = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'invalid_api_key', message: 'Incorrect API key provided.' } }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const port = (upstream.address() as AddressInfo).port;
    try {
      const page = await openApp(app.browser, app.serve.appUrl);
      await page.getByRole('button', { name: 'Providers' }).click();
      await page.getByRole('textbox', { name: 'Name' }).fill('Revoked relay');
      await page.getByRole('textbox', { name: 'Base URL' }).fill(`http://127.0.0.1:${port}`);
      await page.getByLabel('API key').fill('test-key-0123456789abcdef');
      await page.getByRole('button', { name: 'Save provider' }).click();
      const card = page.getByRole('listitem', { name: 'Revoked relay' });
      await card.getByText('•••• cdef').waitFor(); // the key is write-only: only its hint comes back
      // The form starts afresh once the save round-trip (providers and settings) is done.
      await until(() => page.getByLabel('API key').inputValue(), (v) => v === '', 'the key field to be emptied');
      await page.getByRole('button', { name: 'Tasks' }).click();
      await createTask(page, 'A bicycle race through a desert', 'Revoked relay');
      const banner = page.getByRole('alert').filter({ hasText: 'rejected its API key' });
      await banner.waitFor({ timeout: 30_000 });
      expect(await banner.innerText()).toContain('Revoked relay');
      await page.context().close();
    } finally {
      upstream.close();
    }
  });
});

describe('task list basics', () => {
  it('is a list of listitems, newest first', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await createTask(page, 'Newest of them all');
    const first = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').first();
    expect(await first.innerText()).toContain('Newest of them all');
    expect(await taskRow(page, 'A lighthouse in a storm').count()).toBe(1);
    await page.context().close();
  });
});

describe('the composer', () => {
  it('says what is missing before sending, and Ctrl+Enter submits', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByRole('alert').filter({ hasText: 'Write a prompt first.' }).waitFor();
    const prompt = 'Fireflies over a pond, submitted from the keyboard';
    await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
    // An earlier test saved a provider, which became the default; these checks are about the demo.
    await page.getByRole('combobox', { name: 'Provider' }).first().selectOption({ label: 'Demo (offline simulator)' });
    // A model the catalog does not know takes any size as typed, so its form is checked here.
    await page.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Other model…' });
    await page.getByLabel('Size', { exact: true }).fill('huge');
    await page.getByRole('textbox', { name: 'Prompt' }).press('Control+Enter');
    await page.getByRole('alert').filter({ hasText: 'Size must look like 1280x720.' }).waitFor();
    expect(await taskRow(page, prompt).count()).toBe(0);
    // A model in the catalog offers only its own sizes: one the demo does not make cannot be chosen.
    await page.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Demo video, 4, 8 or 12 s' });
    const sizes = await page.getByRole('combobox', { name: 'Size' }).locator('option').allInnerTexts();
    expect(sizes).toEqual(['720x1280', '1280x720', '1024x1792', '1792x1024']);
    await page.getByRole('combobox', { name: 'Size' }).selectOption('1280x720');
    await page.getByRole('textbox', { name: 'Prompt' }).press('Control+Enter');
    await taskRow(page, prompt).waitFor();
    await page.context().close();
  });
});

// Last: it stops the service.
describe('when the service goes away', () => {
  it('says the service stopped (not that the tasks keep running in it), and the connection state', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('status', { name: /Connection: Connected/ }).waitFor();
    await app.serve.stop();
    await page.getByRole('alert').filter({ hasText: 'The SoraDesk service has stopped' }).waitFor({ timeout: 15_000 });
    expect(await page.getByText('keep running in the service').count()).toBe(0);
    await page.getByRole('status', { name: /Connection: (Reconnecting|Offline)/ }).waitFor();
    await page.context().close();
  });
});
