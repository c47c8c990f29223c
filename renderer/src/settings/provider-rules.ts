// Checks on the provider form, before the service's own validation.
import type { Dialect } from '@shared/contract/provider';
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
  if (!/^https?:\/\/[^\s/]+/i.test(d.baseUrl.trim())) errors.baseUrl = 'providers.errUrl';
  const rate = d.rateLimit.trim();
  if (rate && (!/^\d+$/.test(rate) || Number(rate) < 1 || Number(rate) > 10_000)) errors.rateLimit = 'providers.errRate';
  return errors;
}

/** saveProvider payload: a blank key field keeps the stored key (the field is write-only). */
export function toSavePayload(d: ProviderDraft) {
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    dialect: d.dialect,
    baseUrl: d.baseUrl.trim().replace(/\/+$/, ''),
    ...(d.apiKey ? { apiKey: d.apiKey } : {}),
    rateLimitPerMinute: d.rateLimit.trim() ? Number(d.rateLimit.trim()) : null,
  };
}
