import { describe, expect, it } from 'vitest';
import { SaveProviderPayloadSchema } from '@shared/contract/messages';
import { toSavePayload, validateProvider } from './provider-rules';

const draft = { name: 'Relay', dialect: 'openai' as const, baseUrl: 'http://127.0.0.1:9000/', apiKey: '', rateLimit: '' };

describe('provider form rules', () => {
  it('needs a name, an http(s) base URL and a sane rate limit', () => {
    expect(validateProvider(draft)).toEqual({});
    expect(validateProvider({ ...draft, name: ' ', baseUrl: 'ftp://x', rateLimit: '0' })).toEqual({
      name: 'providers.errName', baseUrl: 'providers.errUrl', rateLimit: 'providers.errRate',
    });
  });

  it('keeps the stored key when the write-only field is left blank, and sends a new one when typed', () => {
    expect(toSavePayload(draft)).not.toHaveProperty('apiKey');
    expect(toSavePayload({ ...draft, apiKey: 'test-key-0123456789abcdef' }).apiKey).toBe('test-key-0123456789abcdef');
  });

  it('produces a payload the contract accepts', () => {
    const payload = toSavePayload({ ...draft, rateLimit: '30' });
    expect(payload).toMatchObject({ baseUrl: 'http://127.0.0.1:9000', rateLimitPerMinute: 30 });
    expect(SaveProviderPayloadSchema.safeParse(payload).success).toBe(true);
  });
});
