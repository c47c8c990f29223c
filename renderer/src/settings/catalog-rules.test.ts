import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '@shared/contract/model';
import { emptyRow, parseSeconds, parseSizes, toEntry, toRow, validateRow } from './catalog-rules';

const veo: ModelEntry = {
  id: 'veo-3.1-generate-001', label: 'Veo 3.1', kinds: ['text-to-video', 'image-to-video'], seconds: [4, 6, 8],
  sizes: ['1280x720', '1920x1080'], secondsBySize: [{ sizes: ['1920x1080'], seconds: [8] }], audio: true,
  pricePerSecond: 0.4, priceByResolution: { '4k': 0.6 }, currency: 'USD', source: 'ai.google.dev', origin: 'builtin',
};

describe('catalog editor rows', () => {
  it('reads durations as a list or a range, sizes as a list, and refuses what is neither', () => {
    expect(parseSeconds('4, 6 8')).toEqual([4, 6, 8]);
    expect(parseSeconds('4-15')).toEqual({ min: 4, max: 15 });
    expect(parseSeconds('')).toEqual([]);
    expect([parseSeconds('15-4'), parseSeconds('four'), parseSeconds('0')]).toEqual([null, null, null]);
    expect(parseSizes('1280x720, 720x1280')).toEqual(['1280x720', '720x1280']);
    expect(parseSizes('1280*720')).toBeNull();
  });

  it('gives an untouched entry back as it was, and drops per-size data a changed list makes stale', () => {
    expect(toEntry(toRow(veo))).toEqual(veo);
    const edited = toEntry({ ...toRow(veo), seconds: '8', price: '0.5', image: false });
    expect(edited).toMatchObject({ seconds: [8], pricePerSecond: 0.5, kinds: ['text-to-video'], source: 'ai.google.dev' });
    expect(edited.secondsBySize).toBeUndefined();
    expect(edited.priceByResolution).toBeUndefined();
  });

  it('makes a new entry with an unknown price, and names what is wrong with a row', () => {
    expect(toEntry({ ...emptyRow(), id: ' my-model ', seconds: '5', sizes: '1344x768' })).toEqual({
      id: 'my-model', label: 'my-model', kinds: ['text-to-video'], seconds: [5], sizes: ['1344x768'], audio: false, pricePerSecond: null, currency: 'USD', origin: 'user',
    });
    expect(validateRow({ ...emptyRow(), seconds: 'x', sizes: 'big', price: '-1', currency: 'dollars' }, new Set())).toEqual({
      id: 'models.errId', seconds: 'models.errSeconds', sizes: 'models.errSizes', price: 'models.errPrice', currency: 'models.errCurrency',
    });
    expect(validateRow({ ...emptyRow(), id: 'taken' }, new Set(['taken']))).toEqual({ id: 'models.errIdTaken' });
  });
});
