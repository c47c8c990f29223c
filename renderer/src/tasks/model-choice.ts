// What the composer offers for the chosen model: only its durations (at the chosen size) and its sizes,
// and what a second of it costs. A model the catalog does not know gets free fields and "price unknown".
import type { ModelEntry } from '@shared/contract/model';
import { pricePerSecondFor, secondsAllowed, secondsChoices, secondsFor } from '@shared/contract/model-rules';

export interface ModelOffer {
  /** The durations to pick from; null: not known, typed freely. */
  durations: string[] | null;
  /** The sizes to pick from; null: not known, typed freely. */
  sizes: string[] | null;
}

export function offerFor(entry: ModelEntry | null, size: string): ModelOffer {
  if (!entry) return { durations: null, sizes: null };
  const durations = secondsChoices(secondsFor(entry, entry.sizes.includes(size) ? size : null)).map(String);
  return { durations: durations.length ? durations : null, sizes: entry.sizes.length ? [...entry.sizes] : null };
}

/** The draft's duration and size made valid for the model: a value it does not take becomes its first allowed one. */
export function fitToModel(entry: ModelEntry | null, d: { seconds: string; size: string }): { seconds: string; size: string } {
  if (!entry) return d;
  const size = entry.sizes.length && !entry.sizes.includes(d.size) ? entry.sizes[0] : d.size;
  const allowed = secondsFor(entry, entry.sizes.includes(size) ? size : null);
  const choices = secondsChoices(allowed);
  const seconds = choices.length && !secondsAllowed(allowed, Number(d.seconds)) ? String(choices[0]) : d.seconds;
  return { seconds, size };
}

export interface PriceQuote {
  perSecond: number;
  /** For the chosen duration; null when no duration is chosen. */
  total: number | null;
  currency: string;
}

/** null: the price is not known (a model the catalog does not know, or an entry without a price). */
export function quote(entry: ModelEntry | null, seconds: string, size: string): PriceQuote | null {
  if (!entry) return null;
  const perSecond = pricePerSecondFor(entry, size || null);
  if (perSecond == null) return null;
  const n = Number(seconds);
  return { perSecond, total: seconds && Number.isFinite(n) && n > 0 ? perSecond * n : null, currency: entry.currency };
}

export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: amount < 0.1 && amount > 0 ? 3 : 2 }).format(amount);
}
