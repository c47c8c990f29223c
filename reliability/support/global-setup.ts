// A fresh run root before the suite; the figures as a table after it.
import fs from 'node:fs';
import path from 'node:path';
import { readFigures, ROOT } from './run-root';

export function setup(): void {
  process.env.RELIABILITY_ROOT = ROOT;
  fs.rmSync(ROOT, { recursive: true, force: true });
  fs.mkdirSync(ROOT, { recursive: true });
}

export function teardown(): void {
  const rows = readFigures();
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const table = [
    '| case | what was done | expected | figure | ok |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${cell(r.case)} | ${cell(r.done)} | ${cell(r.expected)} | ${cell(r.figure)} | ${r.ok ? 'yes' : '**no**'} |`),
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'figures.md'), table + '\n');
  console.log(`\nReliability figures (${rows[0]?.quick ? 'quick' : 'full'} run):\n${table}\n`);
}
