// The Spending view's chart as data: one bar per local day (days without spending are empty bars),
// each stacked by provider, in the currency most was spent in.
import type { Spend } from '@shared/contract/cost';
import { localDay, startOfLocalDay } from '@shared/contract/cost-rules';

export interface Bar {
  day: string;
  total: number;
  segments: Array<{ providerId: string; amount: number }>;
}

export interface Chart {
  currency: string | null;
  bars: Bar[];
  /** The tallest bar (at least a little above 0, so empty days draw flat). */
  max: number;
  providers: string[];
}

/** `days` bars ending today (local time), from getSpend's day rows. */
export function spendChart(spend: Spend, days: number, now: number): Chart {
  const currency = Object.entries(spend.total).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const byDay = new Map(spend.rows.filter((r) => r.currency === currency).map((r) => [r.key, r]));
  const bars: Bar[] = [];
  const providers = new Set<string>();
  let day = startOfLocalDay(now);
  for (let i = 0; i < days; i++) {
    const key = localDay(day);
    const row = byDay.get(key);
    const segments = Object.entries(row?.byProvider ?? {}).filter(([, a]) => a > 0).map(([providerId, amount]) => ({ providerId, amount })).sort((a, b) => a.providerId.localeCompare(b.providerId));
    for (const s of segments) providers.add(s.providerId);
    bars.unshift({ day: key, total: row?.amount ?? 0, segments });
    // Back one local day (an hour past midnight keeps clear of a daylight-saving shift).
    day = startOfLocalDay(day - 3_600_000);
  }
  return { currency, bars, max: Math.max(0.01, ...bars.map((b) => b.total)), providers: [...providers].sort() };
}
