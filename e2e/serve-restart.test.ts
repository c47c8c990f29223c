// A demo job created before `npm run serve` restarts completes after it (issue 10, item 7). The core
// resumes the task from its data dir, and the demo simulator keeps its jobs there too
// (demo-simulator.json), so the job is still known upstream after the restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../electron/core/core-types';
import { spawnServe, type ServeProcess } from '../electron/cli/test-support/serve-process';
import { launchChromium } from './browser';
import { createTask, openApp } from './page-helpers';
import { serviceClient } from './service-client';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-e2e-restart-'));
const env = { SORADESK_DEMO_JOB_MS: '8000' };
let browser: Browser;
let serve: ServeProcess;

const link = (info: ConnectionInfo) => `${info.httpUrl}#token=${encodeURIComponent(info.token)}`;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a serve restart in the middle of a demo job', () => {
  it('the job created before the restart completes after it', async () => {
    serve = spawnServe(dataDir, undefined, env);
    const first = await serve.ready();
    const api = await serviceClient(first);
    await api.request('updateSettings', { pollIntervalMs: 1000 });
    api.stop();
    const page = await openApp(browser, link(first));
    const row = await createTask(page, 'A lighthouse keeper across a restart');
    await row.getByText(/^(Queued|Processing)$/).waitFor({ timeout: 15_000 });
    await serve.stop();
    await page.getByRole('alert').filter({ hasText: 'The SoraDesk service has stopped' }).waitFor({ timeout: 15_000 });

    serve = spawnServe(dataDir, undefined, env);
    const second = await serve.ready({ stale: first });
    await page.goto(link(second));
    const again = page.getByRole('listitem').filter({ hasText: 'A lighthouse keeper across a restart' });
    await again.getByText(/^(Completed|Failed)$/).waitFor({ timeout: 45_000 });
    expect(await again.getByText('Completed', { exact: true }).count()).toBe(1);
  });
});
