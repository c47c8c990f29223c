// Checks on the provider form, before the service's own validation.
import type { RequestInput } from '@shared/contract/messages';
import { type Dialect, HTTP_URL_PATTERN, MAX_RATE_LIMIT_PER_MINUTE } from '@shared/contract/values';
import type { MessageKey } from '../i18n';
import { parseAmount, parseCount } from '../spending/limit-input';

/** The largest maxActiveJobs the service takes. */
const MAX_ACTIVE_JOBS = 1000;

export interface ProviderDraft {
  id?: string;
  name: string;
  dialect: Dialect;
  baseUrl: string;
  apiKey: string;
  rateLimit: string;
  /** Jobs in flight at once; blank: no cap. Absent: not shown (kept as saved). */
  maxActiveJobs?: string;
  /** This provider's own limits; blank: none. */
  dailyLimit?: string;
  monthlyLimit?: string;
}

export type ProviderErrors = Partial<Record<'name' | 'baseUrl' | 'apiKey' | 'rateLimit' | 'maxActiveJobs' | 'dailyLimit' | 'monthlyLimit', MessageKey>>;

/** The provider as saved, for the rules that compare an edit with it. */
export type SavedProvider = { baseUrl: string; hasApiKey: boolean } | null;

/**
 * A stored key belongs to its origin: the service drops it when the base URL moves to another scheme,
 * host or port and no key comes with the save. The form asks for the key for the new address instead.
 */
export function keyNeededForNewOrigin(d: ProviderDraft, saved: SavedProvider): boolean {
  if (!saved?.hasApiKey || d.apiKey) return false;
  const origin = (url: string) => (URL.canParse(url) ? new URL(url).origin : null);
  const now = origin(d.baseUrl.trim());
  return now !== null && now !== origin(saved.baseUrl);
}

export function validateProvider(d: ProviderDraft, saved: SavedProvider = null): ProviderErrors {
  const errors: ProviderErrors = {};
  if (!d.name.trim()) errors.name = 'providers.errName';
  if (!isHttpUrl(d.baseUrl.trim())) errors.baseUrl = 'providers.errUrl';
  else if (keyNeededForNewOrigin(d, saved)) errors.apiKey = 'providers.errKeyForNewOrigin';
  const rate = d.rateLimit.trim();
  if (rate && (!/^\d+$/.test(rate) || Number(rate) < 1 || Number(rate) > MAX_RATE_LIMIT_PER_MINUTE)) errors.rateLimit = 'providers.errRate';
  if (!parseCount(d.maxActiveJobs, MAX_ACTIVE_JOBS).ok) errors.maxActiveJobs = 'providers.errMaxActive';
  if (!parseAmount(d.dailyLimit).ok) errors.dailyLimit = 'budget.errAmount';
  if (!parseAmount(d.monthlyLimit).ok) errors.monthlyLimit = 'budget.errAmount';
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
    ...(d.maxActiveJobs !== undefined ? { maxActiveJobs: valueOf(parseCount(d.maxActiveJobs, MAX_ACTIVE_JOBS)) } : {}),
    ...(d.dailyLimit !== undefined || d.monthlyLimit !== undefined
      ? { budget: { dailyLimit: valueOf(parseAmount(d.dailyLimit)), monthlyLimit: valueOf(parseAmount(d.monthlyLimit)) } }
      : {}),
  };
}

function valueOf(p: ReturnType<typeof parseAmount>): number | null {
  return p.ok ? p.value : null;
}
