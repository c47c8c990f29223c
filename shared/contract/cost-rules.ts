// Money rules both ends use (no zod: the page imports this at run time): a job's estimate from its
// catalog entry, what it costs once it ended, rounding, and the local day and month a cost falls on.
import type { ModelEntry } from './model';
import { pricePerSecondFor, secondsChoices } from './model-rules';
import type { UpstreamCancel } from './task';

/** Amounts are kept rounded to a millionth: sums of many small prices stay exact enough and stable. */
export function roundMoney(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export interface CostEstimate {
  /** null: the price is not known. */
  estimate: number | null;
  currency: string | null;
}

/**
 * price per second (at the size's resolution, where the entry prices it apart) times seconds. Without
 * seconds the model's shortest duration is what the upstream makes by default; unknown either way: null.
 */
export function estimateCost(entry: ModelEntry | null, seconds: string | number | null, size: string | null): CostEstimate {
  if (!entry) return { estimate: null, currency: null };
  const price = pricePerSecondFor(entry, size);
  const secs = seconds != null && seconds !== '' ? Number(seconds) : secondsChoices(entry.seconds)[0] ?? null;
  if (price == null || secs == null || !Number.isFinite(secs)) return { estimate: null, currency: entry.currency };
  return { estimate: roundMoney(price * secs), currency: entry.currency };
}

/**
 * What an ended job costs: a finished one its estimate (or what the API reported), a failed one nothing,
 * a cancelled one nothing when the upstream stopped it or never had it, else (it runs on, billed) the estimate.
 */
export function actualCost(
  estimate: number | null,
  end: { status: 'COMPLETED' | 'FAILED' | 'CANCELLED'; upstreamCancel?: UpstreamCancel | null; reported?: number | null },
): number | null {
  if (end.reported != null) return roundMoney(end.reported);
  if (end.status === 'FAILED') return 0;
  if (end.status === 'CANCELLED' && (end.upstreamCancel === 'confirmed' || end.upstreamCancel === 'not-sent' || end.upstreamCancel == null)) return 0;
  return estimate;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of a time, YYYY-MM-DD (the time zone of the process that asks). */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local calendar month of a time, YYYY-MM. */
export function localMonth(ms: number): string {
  return localDay(ms).slice(0, 7);
}

/** Local midnight starting the day of `ms`, and the next one. */
export function startOfLocalDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function startOfNextLocalDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

export function startOfLocalMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}
