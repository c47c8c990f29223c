// A provider profile's catalog: the dialect's built-in entries until the user edits it in Providers; from
// then on the list the user saved (added, edited and removed entries included). Entries the user left as
// they came keep following this version's built-in data (a corrected price reaches them).
import type { ProviderDialect } from '@shared/contract/dialects';
import type { ModelEntry } from '@shared/contract/model';
import { BUILTIN_MODELS } from './builtin-models';

export function profileCatalog(dialect: ProviderDialect, stored: readonly ModelEntry[] | null | undefined): ModelEntry[] {
  const builtin = BUILTIN_MODELS[dialect];
  if (!stored) return builtin.map((m) => ({ ...m }));
  return stored.map((m) => (m.origin === 'builtin' ? builtin.find((b) => b.id === m.id) ?? { ...m, origin: 'user' as const } : m)).map((m) => ({ ...m }));
}

/** What a save stores: an entry equal to a built-in one stays `builtin`, anything else is the user's. */
export function catalogToStore(dialect: ProviderDialect, models: readonly ModelEntry[]): ModelEntry[] {
  const builtin = new Map(BUILTIN_MODELS[dialect].map((m) => [m.id, m] as const));
  return models.map((m) => {
    const b = builtin.get(m.id);
    return b && sameEntry(b, m) ? { ...b } : { ...m, origin: 'user' as const };
  });
}

/** The model a creation that names none goes to: the catalog's first (none: the upstream's own default). */
export function defaultModel(catalog: readonly ModelEntry[]): ModelEntry | null {
  return catalog[0] ?? null;
}

function sameEntry(a: ModelEntry, b: ModelEntry): boolean {
  const strip = ({ origin: _o, ...rest }: ModelEntry) => rest;
  return JSON.stringify(sorted(strip(a))) === JSON.stringify(sorted(strip(b)));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)]));
  return v;
}
