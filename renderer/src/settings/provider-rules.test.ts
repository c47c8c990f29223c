import { describe, expect, it } from 'vitest';
import { SaveProviderPayloadSchema } from '@shared/contract/messages';
import { keyNeededForNewOrigin, toSavePayload, validateProvider } from './provider-rules';

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

  it('asks for the key when a provider with a saved key moves to another origin, not for a new path', () => {
    const saved = { baseUrl: 'http://127.0.0.1:9000', hasApiKey: true };
    expect(validateProvider({ ...draft, baseUrl: 'http://127.0.0.1:9001' }, saved)).toEqual({ apiKey: 'providers.errKeyForNewOrigin' });
    expect(validateProvider({ ...draft, baseUrl: 'https://127.0.0.1:9000' }, saved).apiKey).toBe('providers.errKeyForNewOrigin');
    expect(validateProvider({ ...draft, baseUrl: 'http://127.0.0.1:9001', apiKey: 'test-key-0123456789abcdef' }, saved)).toEqual({});
    expect(validateProvider({ ...draft, baseUrl: 'http://127.0.0.1:9000/v2' }, saved)).toEqual({});
    expect(validateProvider({ ...draft, baseUrl: 'http://127.0.0.1:9001' }, { ...saved, hasApiKey: false })).toEqual({});
    expect(keyNeededForNewOrigin({ ...draft, baseUrl: 'http://127.0.0.1:9001' }, null)).toBe(false);
  });
});
