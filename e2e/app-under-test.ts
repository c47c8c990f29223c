// One `npm run serve` and one Chromium per test file: started before its tests, stopped after.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { type ServeHandle, type ServeOptions, startServe } from './serve-harness';

export interface AppUnderTest {
  readonly serve: ServeHandle;
  readonly browser: Browser;
}

export function appUnderTest(prepare?: ServeOptions['prepare'], opts: Omit<ServeOptions, 'prepare'> = {}): AppUnderTest {
  let serve: ServeHandle | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [serve, browser] = await Promise.all([startServe(prepare, opts), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });
  return {
    get serve() {
      if (!serve) throw new Error('the service is not started yet');
      return serve;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet');
      return browser;
    },
  };
}
