// Lint rules that keep the layers apart: the service runs under plain Node, the contract anywhere.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'url', 'util', 'events', 'worker_threads', 'buffer', 'process'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'docs/**', 'resources/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core and electron/cli run under plain Node: only electron/main may import electron.' }],
        patterns: [{ group: ['electron/*', '**/electron/main/**'], message: 'the service layer never imports the Electron shell.' }],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ imports no Electron API.' }, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ imports no Node API.' }))],
        patterns: [{ group: ['node:*'], message: 'shared/ imports no Node API.' }, { group: ['react', 'react-dom'], message: 'shared/ holds no UI.' }],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
);
