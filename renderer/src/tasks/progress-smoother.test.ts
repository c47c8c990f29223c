import { describe, expect, it } from 'vitest';
import { ProgressSmoother } from './progress-smoother';

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Reports at jittered times with growing (sometimes repeated, sometimes stalled) values, as the core sends them. */
function reports(rand: () => number): Array<{ at: number; value: number }> {
  const out: Array<{ at: number; value: number }> = [];
  let at = 0;
  let value = 0;
  while (value < 100) {
    at += 200 + Math.floor(rand() * 12_000);
    const r = rand();
    value = r < 0.2 ? value : Math.min(100, value + Math.ceil(rand() * 40)); // 1 in 5: no move
    out.push({ at, value });
  }
  return out;
}

describe('the smoothed progress bar', () => {
  it('never goes past the next real value and never backwards (500 random jobs, sampled every 50 ms)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rand = random(seed);
      const seq = reports(rand);
      const bar = new ProgressSmoother(0, 0);
      let shown = 0;
      let next = 0;
      for (let t = 0; t <= seq[seq.length - 1].at + 10_000; t += 50) {
        while (next < seq.length && seq[next].at <= t) bar.report(seq[next++].value, seq[next - 1].at);
        const v = bar.valueAt(t);
        const upcoming = next < seq.length ? seq[next].value : 100;
        if (v < shown - 1e-9) throw new Error(`seed ${seed}: went back from ${shown} to ${v} at ${t} ms`);
        if (v > upcoming + 1e-9) throw new Error(`seed ${seed}: showed ${v} at ${t} ms, past the next real value ${upcoming}`);
        shown = v;
      }
      expect(shown).toBe(100);
    }
  });

  it('an older, lower value (a late reply) does not pull it back', () => {
    const bar = new ProgressSmoother(0, 0);
    bar.report(60, 0);
    const before = bar.valueAt(10_000);
    bar.report(30, 10_000);
    expect(bar.valueAt(10_000)).toBe(before);
    expect(bar.reported).toBe(60);
  });

  it('moves through the values in between, marked as an estimate, and stops at the reported one', () => {
    const bar = new ProgressSmoother(0, 0, { firstGlideMs: 3000 });
    bar.report(60, 1000);
    const seen = new Set<number>();
    for (let t = 1000; t <= 4000; t += 100) seen.add(Math.floor(bar.valueAt(t)));
    expect(seen.size).toBeGreaterThan(20);
    expect(bar.estimating(2500)).toBe(true);
    expect(bar.valueAt(2500)).toBeCloseTo(30, 5);
    expect(bar.estimating(4000)).toBe(false);
    expect(bar.valueAt(60_000)).toBe(60);
  });

  it('paces its glide by the time between reports: a brisker core, a shorter glide', () => {
    const bar = new ProgressSmoother(0, 0, { firstGlideMs: 3000, minGlideMs: 500 });
    bar.report(10, 0);
    bar.report(20, 1000); // gap 1 s: the glide shortens toward it
    expect(bar.valueAt(1000 + 2000)).toBe(20); // done in (3 s + 1 s) / 2 = 2 s
    expect(bar.estimating(1000 + 1900)).toBe(true);
  });

  it('a finished task shows its final value at once', () => {
    const bar = new ProgressSmoother(10, 0);
    bar.report(40, 0);
    bar.settle(100, 100);
    expect(bar.valueAt(100)).toBe(100);
    expect(bar.estimating(100)).toBe(false);
  });
});
