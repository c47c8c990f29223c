import { resolve } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** The cases run one after another, by name, so zz-secrets.test.ts searches what all the others left. */
class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// `npm run test:reliability` (RELIABILITY_QUICK=1: the quick subset CI runs). Figures go to
// .reliability-run/figures.md (the table in docs/reliability.md comes from a full run).
export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'shared') } },
  test: {
    include: ['reliability/**/*.test.ts'],
    globalSetup: ['reliability/support/global-setup.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    sequence: { sequencer: ByName },
  },
});
