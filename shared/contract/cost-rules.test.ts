import { describe, expect, it } from 'vitest';
import { actualCost, estimateCost, localDay, roundMoney, startOfNextLocalDay } from './cost-rules';
import type { ModelEntry } from './model';

const veo: ModelEntry = {
  id: 'veo', label: 'Veo', kinds: ['text-to-video'], seconds: [4, 6, 8], sizes: ['1280x720', '1920x1080'], audio: true,
  pricePerSecond: 0.4, priceByResolution: { '1080p': 0.5 }, currency: 'USD', origin: 'builtin',
};

describe('cost rules', () => {
  it('estimates price x seconds, at the size\'s resolution price where the entry has one, and the shortest duration when none is given', () => {
    expect(estimateCost(veo, '8', '1280x720')).toEqual({ estimate: 3.2, currency: 'USD' });
    expect(estimateCost(veo, 8, '1920x1080')).toEqual({ estimate: 4, currency: 'USD' });
    expect(estimateCost(veo, null, null)).toEqual({ estimate: 1.6, currency: 'USD' });
    expect(estimateCost({ ...veo, pricePerSecond: null, priceByResolution: undefined }, '8', null)).toEqual({ estimate: null, currency: 'USD' });
    expect(estimateCost({ ...veo, seconds: [] }, null, null)).toEqual({ estimate: null, currency: 'USD' });
    expect(estimateCost(null, '8', null)).toEqual({ estimate: null, currency: null });
  });

  it('an ended job costs its estimate when it finished or runs on billed, nothing when failed or stopped before billing', () => {
    expect(actualCost(0.4, { status: 'COMPLETED' })).toBe(0.4);
    expect(actualCost(0.4, { status: 'COMPLETED', reported: 0.35 })).toBe(0.35);
    expect(actualCost(0.4, { status: 'FAILED' })).toBe(0);
    expect(actualCost(0.4, { status: 'CANCELLED', upstreamCancel: 'confirmed' })).toBe(0);
    expect(actualCost(0.4, { status: 'CANCELLED', upstreamCancel: 'not-sent' })).toBe(0);
    expect(actualCost(0.4, { status: 'CANCELLED', upstreamCancel: 'unsupported' })).toBe(0.4);
    expect(actualCost(0.4, { status: 'CANCELLED', upstreamCancel: 'unconfirmed' })).toBe(0.4);
  });

  it('rounds to a millionth and cuts days at local midnight', () => {
    expect(roundMoney(0.1 + 0.2)).toBe(0.3);
    const t = new Date(2026, 11, 2, 23, 59, 59).getTime();
    expect(localDay(t)).toBe('2026-12-02');
    expect(localDay(startOfNextLocalDay(t))).toBe('2026-12-03');
    expect(startOfNextLocalDay(t) - t).toBe(1000);
  });
});
