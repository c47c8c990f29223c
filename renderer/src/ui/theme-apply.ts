// The page's colours hang on <html data-theme="light|dark">: the choice applied, and the one remembered
// from last time. No React here: the boot module applies it before the app loads, for the first paint.
import type { Theme } from '@shared/contract/values';

export const THEME_KEY = 'soradesk.theme';
export const PREFERS_DARK = '(prefers-color-scheme: dark)';

function resolve(choice: Theme): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return typeof matchMedia === 'function' && matchMedia(PREFERS_DARK).matches ? 'dark' : 'light';
}

export function applyTheme(choice: Theme): void {
  const root = document.documentElement;
  const resolved = resolve(choice);
  root.dataset.theme = resolved;
  root.style.colorScheme = resolved;
}

/** The theme remembered from last time (before the settings arrive). */
export function rememberedTheme(storage: Pick<Storage, 'getItem'> | null): Theme {
  const v = (() => {
    try {
      return storage?.getItem(THEME_KEY);
    } catch {
      return null;
    }
  })();
  return v === 'light' || v === 'dark' ? v : 'system';
}
