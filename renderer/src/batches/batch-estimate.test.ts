import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '@shared/contract/model';
import type { ProviderView } from '@shared/contract/provider';
import { estimateBatch, withDefaults } from './batch-estimate';

const entry = (id: string, price: number | null): ModelEntry => ({
  id, label: id, kinds: ['text-to-video'], seconds: [4, 8], sizes: ['1280x720'], audio: false, pricePerSecond: price, currency: 'USD', origin: 'user',
});
const provider: ProviderView = {
  id: 'p', name: 'P', dialect: 'openai', baseUrl: 'http://127.0.0.1:1', hasApiKey: false, apiKeyHint: null, rateLimitPerMinute: null, builtIn: false,
  models: [entry('cheap', 0.1), entry('dear', 0.5), entry('secret', null)],
};

describe('a batch estimate before anything is sent', () => {
  it('prices each item by its own model, seconds and size, or the defaults, times the variants; unknown prices count apart', () => {
    const items = withDefaults(
      [{ prompt: 'a' }, { prompt: 'b', model: 'dear', seconds: '8' }, { prompt: 'c', model: 'secret' }, { prompt: 'd', model: 'not-in-catalog' }],
      { providerId: 'p', model: 'cheap', seconds: '4', size: '' },
    );
    expect(items[0]).toEqual({ prompt: 'a', providerId: 'p', model: 'cheap', seconds: '4' });
    expect(estimateBatch(items, 2, [provider])).toEqual({ tasks: 8, total: 2 * (0.4 + 4), currency: 'USD', unpriced: 4, otherCurrency: 0 });
  });
});
