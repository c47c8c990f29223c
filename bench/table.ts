// The table in docs/performance.md, from bench result files (bench/results.json as `npm run bench`
// writes it): `npm run bench:table -- [--before A.json,B.json] AFTER.json [AFTER2.json ...] [--write]`.
// Several files of one kind give the median of each figure over those runs. --write puts the table
// between the markers in docs/performance.md; otherwise it is printed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTarget, type BenchResults, type FigureResult } from './support/figures';
import { formatNumber, median } from './support/stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs/performance.md');
const START = '<!-- bench-table:start -->';
const END = '<!-- bench-table:end -->';

interface Summary {
  figure: FigureResult;
  baseline: number;
  candidate: number;
  ratio: number | null;
  runs: number;
}

async function summarise(files: string[]): Promise<Map<string, Summary>> {
  const runs = await Promise.all(files.map(async (f) => JSON.parse(await fs.readFile(f, 'utf8')) as BenchResults));
  const byName = new Map<string, FigureResult[]>();
  for (const run of runs) for (const f of run.figures) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  const out = new Map<string, Summary>();
  for (const [name, figs] of byName) {
    const ratios = figs.map((f) => f.ratio).filter((r): r is number => r !== null);
    out.set(name, {
      figure: figs[figs.length - 1],
      baseline: median(figs.map((f) => f.baseline)),
      candidate: median(figs.map((f) => f.candidate)),
      ratio: ratios.length ? median(ratios) : null,
      runs: figs.length,
    });
  }
  return out;
}

const num = (x: number | undefined, unit = '') => (x === undefined ? 'n/a' : `${formatNumber(x)}${unit ? ` ${unit}` : ''}`);
const ratio = (r: number | null | undefined) => (r === null || r === undefined ? 'n/a' : r.toFixed(2));

function met(s: Summary): boolean {
  const t = s.figure.target;
  if ('ratioAtMost' in t) return s.ratio !== null && s.ratio <= t.ratioAtMost;
  if ('ratioAtLeast' in t) return s.ratio !== null && s.ratio >= t.ratioAtLeast;
  if ('candidateAtMost' in t) return s.candidate <= t.candidateAtMost;
  return s.candidate === t.candidateEquals;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const beforeArg = args.indexOf('--before');
  const beforeFiles = beforeArg >= 0 ? args[beforeArg + 1].split(',') : [];
  const afterFiles = args.filter((a, i) => !a.startsWith('--') && i !== beforeArg + 1);
  if (afterFiles.length === 0) afterFiles.push(path.join(ROOT, 'bench/results.json'));
  const before = await summarise(beforeFiles);
  const after = await summarise(afterFiles);
  const rows = [
    '| figure | baseline | before | after | ratio before | ratio after | target | met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, a] of after) {
    const b = before.get(name);
    const unit = a.figure.unit;
    rows.push(`| ${name} | ${num(a.baseline, unit)} (${a.figure.baselineIs}) | ${num(b?.candidate, unit)} | ${num(a.candidate, unit)} | ${ratio(b?.ratio)} | ${ratio(a.ratio)} | ${describeTarget(a.figure.target, unit)} | ${met(a) ? 'yes' : '**no**'} |`);
  }
  const runs = `Medians over ${afterFiles.length} run${afterFiles.length > 1 ? 's' : ''} after${beforeFiles.length ? ` and ${beforeFiles.length} before` : ''}.`;
  const table = `${rows.join('\n')}\n\n${runs}`;
  if (!write) {
    console.log(table);
    return;
  }
  const doc = await fs.readFile(DOC, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} has no ${START} ... ${END} markers`);
  await fs.writeFile(DOC, `${doc.slice(0, from + START.length)}\n${table}\n${doc.slice(to)}`);
  console.log(`table written to ${path.relative(ROOT, DOC)}`);
}

void main();
