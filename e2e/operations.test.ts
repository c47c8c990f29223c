// Operability in the real UI (Chromium against `npm run serve`): the keychain banner from the start-up
// check, and Settings > Export diagnostics writing a bundle the page names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../electron/core/core-types';
import { spawnServe, type ServeProcess } from '../electron/cli/test-support/serve-process';
import { launchChromium } from './browser';
import { openApp } from './page-helpers';

let browser: Browser;
let serve: ServeProcess;
let info: ConnectionInfo;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-e2e-ops-'));

beforeAll(async () => {
  // The keychain as it is on a machine without a Secret Service: the D-Bus address leads nowhere.
  serve = spawnServe(dataDir, ['--secret-store', 'keychain'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/soradesk-e2e-bus' });
  [info, browser] = await Promise.all([serve.ready(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const appUrl = () => `${info.httpUrl}#token=${encodeURIComponent(info.token)}`;

describe.skipIf(process.platform !== 'linux')('start-up checks in the UI', () => {
  it('shows the keychain banner with the fix from the moment the page connects; Dismiss hides it', async () => {
    const page = await openApp(browser, appUrl());
    const banner = page.getByTestId('keychain-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/API keys cannot be saved or used.*gnome-keyring or KWallet/);
    // A banner, not also a toast.
    expect(await page.getByText('The system keychain cannot be reached').count()).toBe(1);
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.context().close();
  });
});

describe('Settings > Export diagnostics', () => {
  it('writes a zip into the data folder and shows where', async () => {
    const page = await openApp(browser, appUrl());
    await page.getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Diagnostics' });
    await section.getByRole('checkbox', { name: 'Include prompts' }).check();
    await section.getByRole('button', { name: 'Export diagnostics' }).click();
    const status = section.getByRole('status');
    await status.waitFor();
    const written = (await status.locator('code').textContent())!;
    expect(path.dirname(written)).toBe(path.join(dataDir, 'diagnostics'));
    expect(fs.readFileSync(written).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    await page.context().close();
  });
});
