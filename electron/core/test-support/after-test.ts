// Test support: undo what a test set up (stop a core, close a server, unmount, remove a temp dir) after
// that test, in reverse order, through the same afterEach as the task tests' helpers (tasks/test-support/test-cleanup.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeAfterTest } from '../tasks/test-support/test-cleanup';

/** Runs `fn` after the current test. */
export function afterTest(fn: () => unknown): void {
  closeAfterTest({ close: async () => { await fn(); } });
}

/** A fresh temp dir, removed after the current test. */
export function tempDirForTest(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterTest(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
