// Providers' Test connection and the library's DOWNLOAD_FAILED notice, in real Chromium.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTask, openApp } from './page-helpers';
import { appUnderTest } from './app-under-test';

const app = appUnderTest();

describe('Test connection', () => {
  it('reports success for the demo provider', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Providers' }).click();
    const card = page.getByRole('listitem', { name: 'Demo (offline simulator)' });
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByRole('status').filter({ hasText: '✓ The provider answered and accepted the key' }).waitFor();
    await page.context().close();
  });

  it('reports a clear failure for a provider whose upstream answers 401', async () => {
    const upstream = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'invalid_api_key', message: 'Incorrect API key provided.' } }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    try {
      const page = await openApp(app.browser, app.serve.appUrl);
      await page.getByRole('button', { name: 'Providers' }).click();
      await page.getByRole('textbox', { name: 'Name' }).fill('Refusing relay');
      await page.getByRole('textbox', { name: 'Base URL' }).fill(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
      await page.getByLabel('API key').fill('test-key-0123456789abcdef');
      await page.getByRole('button', { name: 'Save provider' }).click();
      const card = page.getByRole('listitem', { name: 'Refusing relay' });
      await card.getByRole('button', { name: 'Test connection' }).click();
      await card.getByRole('status').filter({ hasText: /^✕ .*API key.*401/ }).waitFor();
      await page.context().close();
    } finally {
      upstream.close();
    }
  });
});

describe('Edit provider', () => {
  it('moving a provider with a key to another address asks for the key; the new address gets only the key typed', async () => {
    const seen: Array<{ port: number; auth: string | null }> = [];
    const relay = () => http.createServer((req, res) => {
      seen.push({ port: (req.socket.localPort ?? 0), auth: req.headers.authorization ?? null });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [], has_more: false }));
    });
    const [a, b] = [relay(), relay()];
    await Promise.all([a, b].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
    const portOf = (s: http.Server) => (s.address() as AddressInfo).port;
    try {
      const page = await openApp(app.browser, app.serve.appUrl);
      await page.getByRole('button', { name: 'Providers' }).click();
      await page.getByRole('textbox', { name: 'Name' }).fill('Moving relay');
      await page.getByRole('textbox', { name: 'Base URL' }).fill(`http://127.0.0.1:${portOf(a)}`);
      await page.getByLabel('API key').fill('test-key-old-0123456789abcdef');
      await page.getByRole('button', { name: 'Save provider' }).click();
      const card = page.getByRole('listitem', { name: 'Moving relay' });
      await card.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('textbox', { name: 'Base URL' }).fill(`http://127.0.0.1:${portOf(b)}`);
      await page.getByRole('button', { name: 'Save provider' }).click();
      await page.getByRole('alert').filter({ hasText: 'Enter the API key for the new address' }).waitFor();
      await page.getByLabel('API key').fill('test-key-new-0123456789abcdef');
      await page.getByRole('button', { name: 'Save provider' }).click();
      await page.getByRole('form', { name: 'Edit' }).waitFor({ state: 'detached' });
      await card.getByRole('button', { name: 'Test connection' }).click();
      await card.getByRole('status').filter({ hasText: '✓' }).waitFor();
      expect(seen).toEqual([{ port: portOf(b), auth: 'Bearer test-key-new-0123456789abcdef' }]);
      await page.context().close();
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('Delete provider', () => {
  it('asks in the app\'s own dialog: Back keeps the provider, OK deletes it', async () => {
    const page = await openApp(app.browser, app.serve.appUrl);
    // A native confirm() would block here; the test fails if one ever appears.
    page.on('dialog', () => { throw new Error('a browser dialog appeared'); });
    await page.getByRole('button', { name: 'Providers' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Short-lived relay');
    await page.getByRole('textbox', { name: 'Base URL' }).fill('http://127.0.0.1:9');
    await page.getByRole('button', { name: 'Save provider' }).click();
    const card = page.getByRole('listitem', { name: 'Short-lived relay' });
    await card.getByRole('button', { name: 'Delete provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the provider “Short-lived relay”?' });
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Delete provider' }).click();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: 'Demo (offline simulator)' }).waitFor();
    await page.context().close();
  });
});

describe('a library folder that cannot be written', () => {
  it('tells the user the finished video was not saved, and why', async () => {
    // A path under a regular file: no one, root included, can create a folder there.
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-e2e-lib-')), 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const page = await openApp(app.browser, app.serve.appUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Library folder' }).fill(path.join(blocker, 'videos'));
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.getByRole('button', { name: 'Tasks' }).click();
    // The refusing relay above became the default provider (the first one saved does); use the demo.
    await createTask(page, 'A harbour at dusk that will not fit in the library', 'Demo (offline simulator)');
    const toast = page.getByRole('status').filter({ hasText: 'Video not saved to the library' });
    await toast.waitFor({ timeout: 60_000 });
    await toast.getByText(/not writable|cannot be written/).waitFor();
    fs.rmSync(path.dirname(blocker), { recursive: true, force: true });
    await page.context().close();
  });
});
