// The catalog editor's rows: an entry as the form shows it (durations and sizes as text), and back. What
// the form does not show (a field mapping, per-size durations, per-resolution prices, the source) is kept
// from the entry the row was made from.
import type { AllowedSeconds, ModelEntry } from '@shared/contract/model';
import { isRange } from '@shared/contract/model-rules';
import { SIZE_PATTERN } from '@shared/contract/values';
import type { MessageKey } from '../i18n';

export interface ModelRow {
  /** A stable key for the list (not the model id, which the user may edit). */
  key: string;
  id: string;
  label: string;
  /** "4, 6, 8", "4-15", or empty (not known). */
  seconds: string;
  /** "1280x720, 720x1280", or empty (not known). */
  sizes: string;
  /** Per second; empty: not known. */
  price: string;
  currency: string;
  image: boolean;
  /** The entry the row was made from, if any. */
  from: ModelEntry | null;
}

export type RowErrors = Partial<Record<'id' | 'seconds' | 'sizes' | 'price' | 'currency', MessageKey>>;

let nextKey = 0;
const newKey = () => `row-${++nextKey}`;

export function formatSeconds(s: AllowedSeconds): string {
  return isRange(s) ? `${s.min}-${s.max}` : s.join(', ');
}

export function toRow(m: ModelEntry): ModelRow {
  return {
    key: newKey(), id: m.id, label: m.label, seconds: formatSeconds(m.seconds), sizes: m.sizes.join(', '),
    price: m.pricePerSecond == null ? '' : String(m.pricePerSecond), currency: m.currency, image: m.kinds.includes('image-to-video'), from: m,
  };
}

export function emptyRow(): ModelRow {
  return { key: newKey(), id: '', label: '', seconds: '', sizes: '', price: '', currency: 'USD', image: false, from: null };
}

export function parseSeconds(text: string): AllowedSeconds | null {
  const t = text.trim();
  if (t === '') return [];
  const range = /^(\d{1,4})\s*[-–]\s*(\d{1,4})$/.exec(t);
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    return min >= 1 && min <= max ? { min, max } : null;
  }
  const parts = t.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,4}$/.test(p) && Number(p) >= 1)) return null;
  return [...new Set(parts.map(Number))];
}

export function parseSizes(text: string): string[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.every((p) => SIZE_PATTERN.test(p)) ? [...new Set(parts)] : null;
}

export function validateRow(r: ModelRow, taken: ReadonlySet<string>): RowErrors {
  const errors: RowErrors = {};
  if (!r.id.trim()) errors.id = 'models.errId';
  else if (taken.has(r.id.trim())) errors.id = 'models.errIdTaken';
  if (parseSeconds(r.seconds) === null) errors.seconds = 'models.errSeconds';
  if (parseSizes(r.sizes) === null) errors.sizes = 'models.errSizes';
  if (r.price.trim() !== '' && !(Number(r.price) >= 0 && Number.isFinite(Number(r.price)))) errors.price = 'models.errPrice';
  if (!/^[A-Z]{3}$/.test(r.currency.trim())) errors.currency = 'models.errCurrency';
  return errors;
}

/** The entry a (valid) row stands for; an unchanged built-in entry comes back as it was. */
export function toEntry(r: ModelRow): ModelEntry {
  const id = r.id.trim();
  const base: ModelEntry = r.from ?? { id, label: id, kinds: ['text-to-video'], seconds: [], sizes: [], audio: false, pricePerSecond: null, currency: 'USD', origin: 'user' };
  // The entry's own order, so an untouched built-in entry compares equal to what it was.
  let kinds = base.kinds.filter((k) => r.image || k !== 'image-to-video');
  if (r.image && !kinds.includes('image-to-video')) kinds = [...kinds, 'image-to-video'];
  if (!kinds.some((k) => k !== 'remix')) kinds = ['text-to-video', ...kinds];
  const seconds = parseSeconds(r.seconds) ?? [];
  const sizes = parseSizes(r.sizes) ?? [];
  const price = r.price.trim() === '' ? null : Number(r.price);
  const next: ModelEntry = {
    ...base, id, label: r.label.trim() || id, kinds, seconds, sizes,
    pricePerSecond: price, currency: r.currency.trim(),
  };
  // A changed duration list or price makes the finer-grained data it came with stale.
  if (formatSeconds(seconds) !== formatSeconds(base.seconds)) delete next.secondsBySize;
  if (price !== base.pricePerSecond) delete next.priceByResolution;
  return next;
}
