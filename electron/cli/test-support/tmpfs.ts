// Small real file systems for start-up tests: a read-only or a tiny tmpfs, mounted where this user may
// mount (root on Linux) and unmounted after the test.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterTest, tempDirForTest } from '../../core/test-support/after-test';

/** Whether this process may mount a tmpfs (tests that need one are skipped otherwise). */
export const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir]);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();

/** A tmpfs with `options` mounted at a fresh dir for the current test, or null where mounting fails. */
export function tmpfs(options: string): string | null {
  const dir = tempDirForTest('soradesk-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  afterTest(() => execFileSync('umount', ['-l', dir]));
  return dir;
}
