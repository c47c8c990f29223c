// Benchmark runner: `npm run bench [-- FILTER]`. Finds bench/*.bench.ts; each default-exports a
// list of cases. Baseline and candidate run alternately in the same process (so both see the same
// machine state), after a warm-up; we print median times and candidate/baseline.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchCase {
  name: string;
  baseline: () => unknown | Promise<unknown>;
  candidate: () => unknown | Promise<unknown>;
  /** Timed rounds of each (default 10). */
  iterations?: number;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

const WARMUP_ROUNDS = 2;

async function timeOnce(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1)).padStart(9) + ' ms';

async function runCase(c: BenchCase): Promise<void> {
  await c.setup?.();
  try {
    const rounds = Math.max(1, c.iterations ?? 10);
    for (let i = 0; i < WARMUP_ROUNDS; i++) {
      await c.baseline();
      await c.candidate();
    }
    const base: number[] = [];
    const cand: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Swap who goes first each round so neither always runs on a warmer cache.
      if (i % 2 === 0) {
        base.push(await timeOnce(c.baseline));
        cand.push(await timeOnce(c.candidate));
      } else {
        cand.push(await timeOnce(c.candidate));
        base.push(await timeOnce(c.baseline));
      }
    }
    const b = median(base);
    const k = median(cand);
    console.log(`  ${c.name}\n    baseline ${ms(b)}   candidate ${ms(k)}   candidate/baseline ${(k / b).toFixed(3)}   (median of ${rounds})`);
  } finally {
    await c.teardown?.();
  }
}

async function main(): Promise<number> {
  const filter = (process.argv[2] ?? '').toLowerCase();
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const files = (await fs.readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
  let failed = 0;
  let ran = 0;
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { default?: BenchCase[] };
    if (!Array.isArray(mod.default)) {
      console.error(`${file}: default export is not a list of cases; skipped`);
      failed++;
      continue;
    }
    const cases = mod.default.filter((c) => !filter || `${file} ${c.name}`.toLowerCase().includes(filter));
    if (cases.length === 0) continue;
    console.log(file);
    for (const c of cases) {
      try {
        await runCase(c);
        ran++;
      } catch (err) {
        failed++;
        console.error(`  ${c.name}: FAILED: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
  if (ran === 0 && failed === 0) console.log(filter ? `no benchmark matches "${filter}"` : 'no benchmarks found');
  return failed ? 1 : 0;
}

// Exit explicitly: a case may leave timers or handles behind.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
