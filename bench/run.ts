// Benchmark runner: `npm run bench [-- --quick] [FILTER]`. Finds bench/*.bench.ts; each default-exports
// a list of cases. A case runs its baseline (a physical limit: a bare `ws` server, a bare JSON.parse,
// one fsync, the provider's rate) and its candidate (SoraDesk) alternately in one run, and returns
// figures: baseline, candidate, their ratio and the target. The full run writes bench/results.json
// (merged per case, so `npm run bench -- push` refreshes only those). --quick runs small sizes to
// prove every case runs and yields numbers; it checks no target (CI runs it).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine } from './support/machine';
import { describeTarget, ratioOf, targetMet, type BenchCase, type BenchContext, type BenchResults, type Figure, type FigureResult } from './support/figures';
import { formatNumber } from './support/stats';

const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

function print(f: Figure, quick: boolean): void {
  const r = ratioOf(f);
  const verdict = quick ? '(quick: not checked)' : targetMet(f) ? 'met' : 'MISSED';
  console.log(`  ${f.name}`);
  console.log(`    baseline  ${formatNumber(f.baseline).padStart(10)} ${f.unit}   ${f.baselineIs}`);
  console.log(`    candidate ${formatNumber(f.candidate).padStart(10)} ${f.unit}`);
  console.log(`    ratio ${r === null ? 'n/a' : r.toFixed(3)}   target ${describeTarget(f.target, f.unit)}   ${verdict}   (${f.rounds} rounds)${f.note ? `\n    note: ${f.note}` : ''}`);
}

async function readResults(): Promise<BenchResults | null> {
  try {
    return JSON.parse(await fs.readFile(RESULTS_FILE, 'utf8')) as BenchResults;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const filter = (args.find((a) => !a.startsWith('--')) ?? '').toLowerCase();
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const files = (await fs.readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const ctx: BenchContext = { quick, log: (msg) => process.stderr.write(`    ... ${msg}\n`) };
  const machine = describeMachine();
  console.log(`${machine.cpu} x${machine.cores}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; load ${machine.load.join(' ')}${quick ? '   [quick mode]' : ''}`);
  const results: FigureResult[] = [];
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
        const figures = await c.run(ctx);
        if (figures.length === 0) throw new Error('the case produced no figures');
        for (const f of figures) {
          if (![f.baseline, f.candidate].every(Number.isFinite)) throw new Error(`"${f.name}" produced no number (baseline ${f.baseline}, candidate ${f.candidate})`);
          print(f, quick);
          results.push({ ...f, file, caseName: c.name, ratio: ratioOf(f), met: targetMet(f), at: new Date().toISOString(), load: describeMachine().load[0] });
        }
        ran++;
      } catch (err) {
        failed++;
        console.error(`  ${c.name}: FAILED: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
  if (ran === 0 && failed === 0) console.log(filter ? `no benchmark matches "${filter}"` : 'no benchmarks found');
  const missed = results.filter((r) => !r.met);
  if (!quick && results.length > 0) {
    // Merge: figures of cases not run this time are kept as they were.
    const before = await readResults();
    const ranCases = new Set(results.map((r) => `${r.file}\n${r.caseName}`));
    const kept = (before?.figures ?? []).filter((r) => !ranCases.has(`${r.file}\n${r.caseName}`));
    const merged: BenchResults = { machine, updatedAt: new Date().toISOString(), figures: [...kept, ...results].sort((a, b) => a.file.localeCompare(b.file)) };
    await fs.writeFile(RESULTS_FILE, JSON.stringify(merged, null, 2) + '\n');
    console.log(`\n${results.length - missed.length} of ${results.length} targets met${missed.length ? ` (missed: ${missed.map((m) => m.name).join('; ')})` : ''}; written to bench/results.json`);
  } else if (quick) {
    console.log(`\nquick mode: ${ran} cases ran, ${results.length} figures, ${failed} failed`);
  }
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
