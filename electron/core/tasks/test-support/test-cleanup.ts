// Test support: what a test opens (a harness, an upstream) is closed after it, in every test file
// that uses these helpers, without each file repeating the same afterEach.
import { afterEach } from 'vitest';

const open = new Set<{ close(): Promise<unknown> }>();

afterEach(async () => {
  const all = [...open].reverse();
  open.clear();
  for (const x of all) await x.close();
});

/** Registers `x` to be closed after the current test; its close() must tolerate a second call. */
export function closeAfterTest<T extends { close(): Promise<unknown> }>(x: T): T {
  open.add(x);
  return x;
}
