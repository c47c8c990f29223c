// Screenshots of the main screens, light and dark, English and 简体中文, into docs/screenshots/.
// Run after `npm run build`: node --import tsx e2e/screenshots.ts
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './browser';
import { openApp } from './page-helpers';
import { startServe } from './serve-harness';
import { serviceClient, untilStatus } from './service-client';

const outDir = path.resolve(import.meta.dirname, '../docs/screenshots');

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  // Demo jobs of 6 s, polled every second: the scene is set in seconds, not minutes.
  const serve = await startServe(undefined, { demoJobMs: 6000 });
  const browser = await launchChromium();
  const api = await serviceClient(serve.connection);
  try {
    await api.request('updateSettings', { pollIntervalMs: 1000 });
    const prompts = [
      'A paper boat drifting down a rainy Tokyo street at night, neon reflections',
      'Aerial shot of a glacier lagoon at sunrise, icebergs glowing pink',
      'A corgi astronaut floating in a space station, playful, cinematic',
      'A calico cat playing a piano on a dim jazz-club stage',
      'Timelapse of a city skyline from day to night [fail]',
      'Slow motion hummingbird drinking nectar, macro lens [slow]',
    ];
    // The demo relay with a price, so costs, totals and the Spending chart show amounts.
    const demo = (await api.request('listProviders')).providers.find((p) => p.id === 'demo')!;
    const priced = { ...demo.models[0], pricePerSecond: 0.1, currency: 'USD', origin: 'user' as const };
    const relay = (await api.request('saveProvider', { name: 'Demo relay, priced', dialect: 'openai', baseUrl: demo.baseUrl, models: [priced], maxActiveJobs: null })).provider;
    const made = [];
    for (const prompt of prompts) made.push((await api.request('createTask', { providerId: relay.id, model: priced.id, prompt, seconds: prompt.includes('corgi') ? '12' : '8', size: '1280x720' })).task);
    await api.request('saveProvider', { name: 'My OpenAI relay', dialect: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'test-key-0123456789abcdef', rateLimitPerMinute: 30 });
    await api.request('updateSettings', { defaultProviderId: relay.id });
    await Promise.all(made.filter((t) => !/\[(fail|slow)\]/.test(t.prompt)).map((t) => untilStatus(api, t.videoId, 'COMPLETED')));
    await api.request('createTask', { providerId: relay.id, prompt: 'Waves crashing on black sand beach, drone pull-back [slow]', model: priced.id, seconds: '12', size: '1792x1024' });
    await new Promise((r) => setTimeout(r, 2500)); // the last one under way

    for (const language of ['en', 'zh-CN'] as const) {
      await api.request('updateSettings', { language });
      for (const scheme of ['light', 'dark'] as const) {
        const page = await openApp(browser, serve.appUrl, { colorScheme: scheme, locale: language });
        const tasksLabel = language === 'en' ? 'Tasks' : '任务';
        await page.getByRole('listitem').first().waitFor();
        await page.waitForTimeout(1500); // thumbnails
        await page.screenshot({ path: path.join(outDir, `tasks-${language}-${scheme}.png`) });
        if (language === 'en') {
          await page.getByRole('button', { name: 'Gallery' }).click();
          await page.getByRole('list', { name: 'Finished videos' }).getByRole('listitem').first().waitFor();
          await page.waitForTimeout(1500);
          await page.screenshot({ path: path.join(outDir, `gallery-en-${scheme}.png`) });
          await page.getByRole('list', { name: 'Finished videos' }).getByRole('button').first().click();
          await page.getByRole('dialog', { name: 'Video player' }).waitFor();
          await page.waitForTimeout(1500);
          await page.screenshot({ path: path.join(outDir, `player-en-${scheme}.png`) });
          await page.keyboard.press('Escape');
          await page.getByRole('button', { name: 'List' }).click();
        }
        if (language === 'en') {
          await page.getByRole('button', { name: 'Spending' }).click();
          await page.getByRole('heading', { name: 'Spending' }).first().waitFor();
          await page.waitForTimeout(500);
          await page.screenshot({ path: path.join(outDir, `spending-en-${scheme}.png`) });
        }
        await page.getByRole('button', { name: language === 'en' ? 'Providers' : '服务商' }).click();
        await page.getByRole('list').first().waitFor();
        await page.screenshot({ path: path.join(outDir, `providers-${language}-${scheme}.png`) });
        await page.getByRole('button', { name: language === 'en' ? 'Settings' : '设置' }).click();
        await page.getByRole('combobox').first().waitFor();
        await page.screenshot({ path: path.join(outDir, `settings-${language}-${scheme}.png`) });
        await page.getByRole('button', { name: tasksLabel }).click();
        await page.context().close();
      }
    }
    await api.request('updateSettings', { language: 'en' });
    const help = await openApp(browser, serve.connection.httpUrl);
    await help.screenshot({ path: path.join(outDir, 'no-token-en-light.png') });
    process.stdout.write(`screenshots written to ${outDir}\n`);
  } finally {
    api.stop();
    await browser.close();
    await serve.stop();
  }
}

await main();
