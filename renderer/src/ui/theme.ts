// The in-app theme: the system's light or dark, or one of them always. The page's colours hang on
// <html data-theme="light|dark">; "system" follows the OS as it changes. The last choice is kept in
// local storage too, so the first paint (before the settings arrive) is already in the right colours.
import { useEffect } from 'react';
import type { Theme } from '@shared/contract/values';

const KEY = 'soradesk.theme';
const DARK = '(prefers-color-scheme: dark)';

function resolve(choice: Theme): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return typeof matchMedia === 'function' && matchMedia(DARK).matches ? 'dark' : 'light';
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
      return storage?.getItem(KEY);
    } catch {
      return null;
    }
  })();
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Applies `choice` now and whenever the OS switches (for "system"). */
export function useTheme(choice: Theme): void {
  useEffect(() => {
    applyTheme(choice);
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // not kept: the next first paint follows the system until the settings arrive
    }
    if (choice !== 'system' || typeof matchMedia !== 'function') return;
    const mq = matchMedia(DARK);
    const follow = () => applyTheme('system');
    mq.addEventListener('change', follow);
    return () => mq.removeEventListener('change', follow);
  }, [choice]);
}
