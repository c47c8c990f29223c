// Checks on the provider form, before the service's own validation.
import type { RequestInput } from '@shared/contract/messages';
import { type Dialect, HTTP_URL_PATTERN, MAX_RATE_LIMIT_PER_MINUTE } from '@shared/contract/values';
import type { MessageKey } from '../i18n';

export interface ProviderDraft {
  id?: string;
  name: string;
  dialect: Dialect;
  baseUrl: string;
  apiKey: string;
  rateLimit: string;
}

export type ProviderErrors = Partial<Record<'name' | 'baseUrl' | 'rateLimit', MessageKey>>;

export function validateProvider(d: ProviderDraft): ProviderErrors {
  const errors: ProviderErrors = {};
  if (!d.name.trim()) errors.name = 'providers.errName';
  if (!isHttpUrl(d.baseUrl.trim())) errors.baseUrl = 'providers.errUrl';
  const rate = d.rateLimit.trim();
  if (rate && (!/^\d+$/.test(rate) || Number(rate) < 1 || Number(rate) > MAX_RATE_LIMIT_PER_MINUTE)) errors.rateLimit = 'providers.errRate';
  return errors;
}

/** What the service takes as a base URL: http(s), and a URL at all (the schema's two checks). */
function isHttpUrl(url: string): boolean {
  return HTTP_URL_PATTERN.test(url) && URL.canParse(url);
}

/** saveProvider payload: a blank key field keeps the stored key (the field is write-only). */
export function toSavePayload(d: ProviderDraft): RequestInput<'saveProvider'> {
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    dialect: d.dialect,
    baseUrl: d.baseUrl.trim().replace(/\/+$/, ''),
    ...(d.apiKey ? { apiKey: d.apiKey } : {}),
    rateLimitPerMinute: d.rateLimit.trim() ? Number(d.rateLimit.trim()) : null,
  };
}
