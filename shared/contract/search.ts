// How a task search matches: every word of the query, in any order, anywhere in the task's prompt,
// model, provider or ids, ignoring case and accents ("piano cat" finds "A calico cat playing a
// piano", "cafe" finds "Café"). The core's index serves listTasks with it; the page uses the same
// rule to decide whether a pushed task belongs in the filtered view. No zod: the page loads it.

/** Lower case, accents and other combining marks removed, compatibility forms folded (ｃａｔ -> cat). */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The query's words, folded; empty for a blank query. */
export function searchWords(query: string | null | undefined): string[] {
  const folded = foldForSearch(query ?? '').trim();
  return folded ? folded.split(/\s+/u) : [];
}

/** The fields a search looks in. */
export interface Searchable {
  prompt: string;
  model: string | null;
  providerId: string;
  videoId: string;
  externalId: string | null;
}

/** The folded text a task is searched in (build it once per task, match it many times). */
export function searchTextOf(t: Searchable): string {
  return foldForSearch([t.prompt, t.model ?? '', t.providerId, t.videoId, t.externalId ?? ''].join('\n'));
}

/** Every word occurs in the text (an empty query matches everything). */
export function matchesWords(text: string, words: readonly string[]): boolean {
  for (const w of words) if (!text.includes(w)) return false;
  return true;
}

/**
 * A creation-time window, from inclusive and to exclusive, in ms since the epoch. Unparsable bounds
 * are left open (the schema refuses them at the door).
 */
export function createdWithin(createdAtMs: number, from: string | null | undefined, to: string | null | undefined): boolean {
  const lo = from ? Date.parse(from) : NaN;
  const hi = to ? Date.parse(to) : NaN;
  if (Number.isFinite(lo) && createdAtMs < lo) return false;
  if (Number.isFinite(hi) && createdAtMs >= hi) return false;
  return true;
}
