// Summaries of measured samples, and running two measurements alternately.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100): the smallest sample with at least p % of samples at or below it. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  if (p === 50 && s.length % 2 === 0) return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en');
  return Math.abs(x) < 10 ? x.toFixed(2) : Math.abs(x) < 1000 ? x.toFixed(1) : Math.round(x).toLocaleString('en');
}

/** How long `fn` took, in ms. */
export async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs `warmup` unrecorded rounds, then `rounds` recorded ones, baseline and candidate in turn, swapping
 * which goes first every round so neither always runs on a warmer cache or a quieter machine.
 * Each function returns its own measurement (a duration, a latency, a size).
 */
export async function alternate<T = number>(
  opts: { rounds: number; warmup?: number },
  baseline: () => Promise<T>,
  candidate: () => Promise<T>,
): Promise<{ baseline: T[]; candidate: T[] }> {
  for (let i = 0; i < (opts.warmup ?? 1); i++) {
    await baseline();
    await candidate();
  }
  const out = { baseline: [] as T[], candidate: [] as T[] };
  for (let i = 0; i < opts.rounds; i++) {
    if (i % 2 === 0) {
      out.baseline.push(await baseline());
      out.candidate.push(await candidate());
    } else {
      out.candidate.push(await candidate());
      out.baseline.push(await baseline());
    }
  }
  return out;
}

/**
 * Runs `fn` while watching the event loop; returns how long it took and the longest stall it saw (ms).
 * The garbage the other side left is collected first (with `node --expose-gc`, as `npm run bench` runs),
 * so neither side's stall is a collection of the other's garbage.
 */
export async function withStallWatch(fn: () => unknown): Promise<{ ms: number; stallMs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  // One more turn, so a stall at the very end is recorded too.
  await new Promise((r) => setImmediate(r));
  h.disable();
  return { ms, stallMs: h.max / 1e6 };
}
