// What a benchmark case returns and how a figure is judged against its target.
import type { MachineInfo } from './machine';

export interface BenchContext {
  /** Small sizes, few rounds: proves the case runs; its figures mean little. */
  quick: boolean;
  /** A progress line (stderr), so a long case shows it is alive. */
  log(msg: string): void;
}

/** What the candidate must reach. Ratios are candidate / baseline. */
export type Target =
  | { ratioAtMost: number }
  | { ratioAtLeast: number }
  | { candidateAtMost: number }
  | { candidateEquals: number };

export interface Figure {
  name: string;
  unit: string;
  /** What the baseline is, in a few words. */
  baselineIs: string;
  baseline: number;
  candidate: number;
  target: Target;
  /** How many rounds each side ran (medians are over these). */
  rounds: number;
  /** Anything a reader needs to read the figure right. */
  note?: string;
}

export interface BenchCase {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export interface FigureResult extends Figure {
  file: string;
  caseName: string;
  ratio: number | null;
  met: boolean;
  at: string;
  /** 1-minute load average when the case finished (other work on the machine). */
  load: number;
}

export interface BenchResults {
  machine: MachineInfo;
  updatedAt: string;
  figures: FigureResult[];
}

export function ratioOf(f: Pick<Figure, 'baseline' | 'candidate'>): number | null {
  return f.baseline === 0 ? null : f.candidate / f.baseline;
}

export function targetMet(f: Figure): boolean {
  const r = ratioOf(f);
  const t = f.target;
  if ('ratioAtMost' in t) return r !== null && r <= t.ratioAtMost;
  if ('ratioAtLeast' in t) return r !== null && r >= t.ratioAtLeast;
  if ('candidateAtMost' in t) return f.candidate <= t.candidateAtMost;
  return f.candidate === t.candidateEquals;
}

export function describeTarget(t: Target, unit: string): string {
  if ('ratioAtMost' in t) return `ratio <= ${t.ratioAtMost}`;
  if ('ratioAtLeast' in t) return `ratio >= ${t.ratioAtLeast}`;
  if ('candidateAtMost' in t) return `candidate <= ${t.candidateAtMost} ${unit}`;
  return `candidate = ${t.candidateEquals} ${unit}`;
}

