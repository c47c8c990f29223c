// Screenshots of the main screens, light and dark, English and 简体中文, into docs/screenshots/.
// Run after `npm run build`: node --import tsx e2e/screenshots.ts
import fs from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { launchChromium } from './browser';
import { openApp } from './page-helpers';
import { startServe } from './serve-harness';

const outDir = path.resolve(import.meta.dirname, '../docs/screenshots');

/** A tiny WebSocket client: enough to set the scene before the browser looks at it. */
async function connect(wsUrl: string, token: string) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let seq = 0;
  const request = (type: string, payload: object) =>
    new Promise<unknown>((resolve) => {
      const id = `s${++seq}`;
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(String(data)) as { id?: string; payload: unknown };
        if (msg.id === id) {
          ws.off('message', onMessage);
          resolve(msg.payload);
        }
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type, id, payload }));
    });
  await request('auth', { token });
  return { request, close: () => ws.close() };
}

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const serve = await startServe();
  const browser = await launchChromium();
  try {
    const api = await connect(serve.connection.wsUrl, serve.connection.token);
    const prompts = [
      'A paper boat drifting down a rainy Tokyo street at night, neon reflections',
      'Aerial shot of a glacier lagoon at sunrise, icebergs glowing pink',
      'A corgi astronaut floating in a space station, playful, cinematic',
      'Timelapse of a city skyline from day to night [fail]',
      'Slow motion hummingbird drinking nectar, macro lens [slow]',
    ];
    for (const prompt of prompts) await api.request('createTask', { prompt, seconds: '8', size: '1280x720' });
    await api.request('saveProvider', { name: 'My OpenAI relay', dialect: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'test-key-0123456789abcdef', rateLimitPerMinute: 30 });
    // Let the demo jobs finish (about 15 s) so the list shows every kind of row.
    await new Promise((r) => setTimeout(r, 22_000));
    await api.request('createTask', { prompt: 'Waves crashing on black sand beach, drone pull-back [slow]', seconds: '12', size: '1792x1024' });

    for (const language of ['en', 'zh-CN'] as const) {
      await api.request('updateSettings', { language });
      for (const scheme of ['light', 'dark'] as const) {
        const page = await openApp(browser, serve.appUrl, { colorScheme: scheme, locale: language });
        const tasksLabel = language === 'en' ? 'Tasks' : '任务';
        await page.getByRole('listitem').first().waitFor();
        await page.waitForTimeout(1500); // thumbnails and video posters
        await page.screenshot({ path: path.join(outDir, `tasks-${language}-${scheme}.png`) });
        await page.getByRole('button', { name: language === 'en' ? 'Providers' : '服务商' }).click();
        await page.screenshot({ path: path.join(outDir, `providers-${language}-${scheme}.png`) });
        await page.getByRole('button', { name: language === 'en' ? 'Settings' : '设置' }).click();
        await page.screenshot({ path: path.join(outDir, `settings-${language}-${scheme}.png`) });
        await page.getByRole('button', { name: tasksLabel }).click();
        await page.context().close();
      }
    }
    await api.request('updateSettings', { language: 'en' });
    const help = await openApp(browser, serve.connection.httpUrl);
    await help.screenshot({ path: path.join(outDir, 'no-token-en-light.png') });
    api.close();
    process.stdout.write(`screenshots written to ${outDir}\n`);
  } finally {
    await browser.close();
    await serve.stop();
  }
}

await main();
