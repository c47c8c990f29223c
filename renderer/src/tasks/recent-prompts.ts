// Recent prompts: the last ones sent from this browser (or the desktop app's window), kept in its
// local storage, newest first, each once. Up arrow in an empty prompt walks back through them, Down
// walks forward and back to what was being written.

export const MAX_RECENT = 20;
const STORAGE_KEY = 'soradesk.recentPrompts';

/** The list with `prompt` first (moved there if it was in it already). */
export function rememberPrompt(list: readonly string[], prompt: string, max = MAX_RECENT): string[] {
  const p = prompt.trim();
  if (!p) return [...list];
  return [p, ...list.filter((x) => x !== p)].slice(0, max);
}

export function loadRecentPrompts(storage: Pick<Storage, 'getItem'> | null): string[] {
  try {
    const v = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function saveRecentPrompts(storage: Pick<Storage, 'setItem'> | null, list: readonly string[]): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(list.slice(0, MAX_RECENT)));
  } catch {
    // Storage full or refused (private mode): the list lives for this page only.
  }
}

/** Walking the recent prompts with the arrow keys. */
export class PromptRecall {
  private index = -1;
  private draft = '';

  /** Up: the next older prompt, or null when there is none (the key then does what it normally does). */
  older(current: string, list: readonly string[]): string | null {
    if (this.index + 1 >= list.length) return null;
    if (this.index === -1) this.draft = current;
    this.index += 1;
    return list[this.index];
  }

  /** Down: the next newer prompt, then what was being written; null when not walking. */
  newer(list: readonly string[]): string | null {
    if (this.index < 0) return null;
    this.index -= 1;
    return this.index < 0 ? this.draft : list[this.index];
  }

  /** The user typed or sent: the walk starts over. */
  reset(): void {
    this.index = -1;
    this.draft = '';
  }
}
