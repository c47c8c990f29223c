import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '@shared/contract/model';
import { fitToModel, formatMoney, offerFor, quote } from './model-choice';

const veo: ModelEntry = {
  id: 'veo', label: 'Veo', kinds: ['text-to-video'], seconds: [4, 6, 8], sizes: ['1280x720', '1920x1080', '3840x2160'],
  secondsBySize: [{ sizes: ['1920x1080', '3840x2160'], seconds: [8] }], audio: true, pricePerSecond: 0.4, priceByResolution: { '4k': 0.6 }, currency: 'USD', origin: 'builtin',
};
const range: ModelEntry = { ...veo, id: 'r', seconds: { min: 4, max: 6 }, sizes: ['1344x768'], secondsBySize: undefined, pricePerSecond: null };

describe('the composer\'s model choice', () => {
  it('offers only the model\'s durations at the chosen size, and its sizes', () => {
    expect(offerFor(veo, '1280x720')).toEqual({ durations: ['4', '6', '8'], sizes: ['1280x720', '1920x1080', '3840x2160'] });
    expect(offerFor(veo, '1920x1080').durations).toEqual(['8']);
    expect(offerFor(range, '1344x768').durations).toEqual(['4', '5', '6']);
    expect(offerFor(null, '1280x720')).toEqual({ durations: null, sizes: null });
    expect(offerFor({ ...veo, seconds: [], sizes: [] }, '')).toEqual({ durations: null, sizes: null });
  });

  it('moves a draft to values the model takes', () => {
    expect(fitToModel(veo, { seconds: '12', size: '720x1280' })).toEqual({ seconds: '4', size: '1280x720' });
    expect(fitToModel(veo, { seconds: '4', size: '1920x1080' })).toEqual({ seconds: '8', size: '1920x1080' });
    expect(fitToModel(null, { seconds: '37', size: '1x1' })).toEqual({ seconds: '37', size: '1x1' });
  });

  it('quotes by resolution, and knows when it cannot', () => {
    expect(quote(veo, '8', '3840x2160')).toEqual({ perSecond: 0.6, total: 4.8, currency: 'USD' });
    expect(quote(veo, '', '1280x720')).toEqual({ perSecond: 0.4, total: null, currency: 'USD' });
    expect(quote(range, '5', '1344x768')).toBeNull();
    expect(quote(null, '5', '1344x768')).toBeNull();
    expect(formatMoney(3.2, 'USD', 'en-US')).toBe('$3.20');
    expect(formatMoney(0.07, 'USD', 'en-US')).toBe('$0.07');
  });
});
