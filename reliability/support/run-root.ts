// Where one run of the reliability suite keeps what it made: data dirs, logs, every frame a client got,
// the keys it used, and the figures. The last case (zz-secrets.test.ts) searches all of it for keys.
import fs from 'node:fs';
import path from 'node:path';

export const QUICK = process.env.RELIABILITY_QUICK === '1';
export const ROOT = process.env.RELIABILITY_ROOT ?? path.join(process.cwd(), '.reliability-run');

export interface FigureRow {
  case: string;
  done: string;
  expected: string;
  figure: string;
  ok: boolean;
}

/** One row of docs/reliability.md's table, also printed as the case finishes. */
export function recordFigure(row: FigureRow): void {
  fs.mkdirSync(ROOT, { recursive: true });
  fs.appendFileSync(path.join(ROOT, 'figures.jsonl'), JSON.stringify({ ...row, quick: QUICK }) + '\n');
  console.log(`[reliability] ${row.case}: ${row.figure}`);
}

export function readFigures(): Array<FigureRow & { quick: boolean }> {
  const file = path.join(ROOT, 'figures.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

/** A fresh folder under the run's root for one case's data dir. */
export function caseDir(name: string): string {
  const dir = path.join(ROOT, 'data', `${name}-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A key the suite hands to a provider; the secrets case checks none is found anywhere afterwards. */
export function usedKey(name: string): string {
  const key = `sk-reliability-${name}-${Math.random().toString(36).slice(2)}0123456789`;
  fs.mkdirSync(ROOT, { recursive: true });
  fs.appendFileSync(path.join(ROOT, 'keys.txt'), key + '\n');
  return key;
}

export function usedKeys(): string[] {
  const file = path.join(ROOT, 'keys.txt');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Keeps what a client received (replies and pushes), for the secrets case. */
export function keepFrames(name: string, frames: unknown[]): void {
  const dir = path.join(ROOT, 'frames');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}-${Date.now().toString(36)}.jsonl`), frames.map((f) => JSON.stringify(f)).join('\n'));
}

/** Keeps what a service process printed (its log lines), for the secrets case. */
export function keepLog(name: string, text: string): void {
  const dir = path.join(ROOT, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}-${Date.now().toString(36)}.log`), text);
}
