// Lint rules that keep the layers apart: each folder belongs to one runtime (the page, the preload,
// the Electron main process, plain Node) and may import only what that runtime has. The rules
// themselves are in lint/import-boundaries.js; lint/boundaries.test.ts proves each one fails when
// broken, on the fixtures in lint/fixtures/ (which the normal run ignores).
import tseslint from 'typescript-eslint';
import { boundariesPlugin } from './lint/import-boundaries.js';

/** Files that never ship: tests, type tests, test helpers, end-to-end tests, benchmarks. */
const NOT_SHIPPED = ['**/*.test.ts', '**/*.test.tsx', '**/*.test-d.ts', '**/test-support/**', 'e2e/**', 'bench/**', 'lint/**', '*.config.ts', '*.config.js'];
/** shared/contract modules with no zod: the only ones the page may load at run time. */
const ZOD_FREE_CONTRACT = ['shared/contract/values', 'shared/contract/routes', 'shared/contract/bridge', 'shared/contract/search', 'shared/contract/dialects', 'shared/contract/model-rules', 'shared/contract/cost-rules', 'shared/contract/batch-file'];

const boundary = (options) => ({ 'soradesk/import-boundaries': ['error', options] });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'docs/**', 'resources/**', 'lint/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { soradesk: boundariesPlugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Code that ships never imports a test helper (a file under a test-support/ folder).
    files: ['**/*.{ts,tsx}'],
    ignores: NOT_SHIPPED,
    rules: { 'soradesk/no-test-helper-import': 'error' },
  },
  {
    // The page (browser or Electron renderer): no Node, no Electron, no ws, no zod at run time.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: NOT_SHIPPED,
    rules: boundary({
      area: 'renderer/', folders: ['renderer', 'shared'], denyNodeBuiltins: true, denyPackages: ['electron', 'ws', 'zod'],
      typesOnly: ['shared/contract'], typesOnlyExcept: ZOD_FREE_CONTRACT,
    }),
  },
  {
    // The sandboxed preload: Electron's preload API and the shared contract, nothing else.
    files: ['electron/preload/**/*.ts'],
    ignores: NOT_SHIPPED,
    rules: boundary({ area: 'electron/preload/', folders: ['electron/preload', 'shared'], denyNodeBuiltins: true, allowPackages: ['electron'] }),
  },
  {
    // The service runs under plain Node: no Electron, no shell.
    files: ['electron/core/**/*.ts'],
    ignores: NOT_SHIPPED,
    rules: boundary({ area: 'electron/core/', folders: ['electron/core', 'shared'], denyPackages: ['electron'] }),
  },
  {
    files: ['electron/cli/**/*.ts'],
    ignores: NOT_SHIPPED,
    rules: boundary({ area: 'electron/cli/', folders: ['electron/cli', 'electron/core', 'shared'], denyPackages: ['electron'] }),
  },
  {
    // The shell: Electron, the core, the preload's channel names, the contract.
    files: ['electron/main/**/*.ts'],
    ignores: NOT_SHIPPED,
    rules: boundary({ area: 'electron/main/', folders: ['electron/main', 'electron/core', 'electron/preload', 'shared'] }),
  },
  {
    // The contract runs anywhere: no Node, DOM or Electron; zod is its only package.
    files: ['shared/**/*.ts'],
    ignores: NOT_SHIPPED,
    rules: {
      ...boundary({ area: 'shared/', folders: ['shared'], denyNodeBuiltins: true, allowPackages: ['zod'] }),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    // What the page loads from shared/ stays zod-free: the values, the route table, the bridge, the dialect
    // table, the model catalog's rules, the cost rules, the batch file reader and the client.
    files: ['shared/contract/values.ts', 'shared/contract/routes.ts', 'shared/contract/bridge.ts', 'shared/contract/dialects.ts', 'shared/contract/model-rules.ts', 'shared/contract/cost-rules.ts', 'shared/contract/batch-file.ts', 'shared/client/**/*.ts'],
    ignores: NOT_SHIPPED,
    rules: boundary({ area: 'zod-free shared code', folders: ['shared'], denyNodeBuiltins: true, allowPackages: [], typesOnly: ['shared/contract'], typesOnlyExcept: ZOD_FREE_CONTRACT }),
  },
);
