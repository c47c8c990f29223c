import { describe, expect, it } from 'vitest';
import { localDay } from '@shared/contract/cost-rules';
import { spendChart } from './spend-chart';

describe('the Spending chart', () => {
  it('a bar per local day ending today, stacked by provider, empty days flat, in the main currency', () => {
    const now = new Date(2026, 11, 2, 15, 0).getTime();
    const today = localDay(now);
    const chart = spendChart({
      rows: [
        { key: '2026-11-30', amount: 1.2, currency: 'USD', tasks: 3, byProvider: { b: 0.4, a: 0.8 } },
        { key: today, amount: 0.4, currency: 'USD', tasks: 1, byProvider: { a: 0.4 } },
        { key: today, amount: 0.1, currency: 'EUR', tasks: 1, byProvider: { c: 0.1 } },
      ],
      total: { USD: 1.6, EUR: 0.1 },
      reserved: {},
    }, 4, now);
    expect(chart.currency).toBe('USD');
    expect(chart.bars.map((b) => [b.day, b.total])).toEqual([['2026-11-29', 0], ['2026-11-30', 1.2], ['2026-12-01', 0], [today, 0.4]]);
    expect(chart.bars[1].segments).toEqual([{ providerId: 'a', amount: 0.8 }, { providerId: 'b', amount: 0.4 }]);
    expect(chart.providers).toEqual(['a', 'b']);
    expect(chart.max).toBe(1.2);
  });
});
