// A provider's catalog: the built-in entries of its dialect, the entries the user added or edited,
// and the models the provider itself names. The core checks a creation against it before anything
// is sent; a model it does not know is sent as given, with no known price.
import { AppError } from '@shared/contract/errors';
import type { ModelEntry } from '@shared/contract/model';
import { creationProblems } from '@shared/contract/model-rules';

/** An entry for a model the provider named: nothing is known about it but its id and name. */
export function listedEntry(id: string, label?: string | null): ModelEntry {
  return {
    id, label: label?.trim() || id, kinds: ['text-to-video', 'image-to-video'], seconds: [], sizes: [],
    audio: false, pricePerSecond: null, currency: 'USD', source: null, origin: 'listed',
  };
}

/**
 * One list, one entry per id: the user's own entries win over built-in ones (an edit), built-in ones
 * over what the provider lists (it names a model but says nothing of its limits). Order: the user's and
 * built-in ones as given, then listed models not known otherwise.
 */
export function mergeCatalog(builtin: readonly ModelEntry[], user: readonly ModelEntry[], listed: readonly ModelEntry[] = []): ModelEntry[] {
  const out = new Map<string, ModelEntry>();
  const userById = new Map(user.map((m) => [m.id, m] as const));
  for (const m of builtin) out.set(m.id, userById.get(m.id) ?? m);
  for (const m of user) if (!out.has(m.id)) out.set(m.id, m);
  for (const m of listed) if (!out.has(m.id)) out.set(m.id, m);
  return [...out.values()];
}

export function findModel(catalog: readonly ModelEntry[], id: string | null | undefined): ModelEntry | null {
  if (!id) return null;
  return catalog.find((m) => m.id === id) ?? null;
}

/**
 * Refuses (BAD_REQUEST, naming the allowed values) a creation the model's catalog entry does not
 * allow. A model the catalog does not know passes: the user may know a model we do not.
 */
export function checkCreation(entry: ModelEntry | null, req: { seconds?: string | null; size?: string | null; hasImage: boolean }): void {
  if (!entry) return;
  const problems = creationProblems(entry, { seconds: req.seconds == null ? null : Number(req.seconds), size: req.size ?? null, hasImage: req.hasImage });
  if (problems.length > 0) throw new AppError('BAD_REQUEST', problems.join('; '));
}
