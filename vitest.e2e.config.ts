import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// End-to-end: real Chromium against `npm run serve` on the demo provider. Needs `npm run build` first.
export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'shared') } },
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
