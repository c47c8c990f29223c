// The in-app theme: the system's light or dark, or one of them always (theme-apply.ts puts it on the
// page); "system" follows the OS as it changes. The last choice is kept in local storage too, so the
// first paint (before the settings arrive) is already in the right colours.
import { useEffect } from 'react';
import type { Theme } from '@shared/contract/values';
import { applyTheme, PREFERS_DARK, THEME_KEY } from './theme-apply';

/** Applies `choice` now and whenever the OS switches (for "system"). */
export function useTheme(choice: Theme): void {
  useEffect(() => {
    applyTheme(choice);
    try {
      localStorage.setItem(THEME_KEY, choice);
    } catch {
      // not kept: the next first paint follows the system until the settings arrive
    }
    if (choice !== 'system' || typeof matchMedia !== 'function') return;
    const mq = matchMedia(PREFERS_DARK);
    const follow = () => applyTheme('system');
    mq.addEventListener('change', follow);
    return () => mq.removeEventListener('change', follow);
  }, [choice]);
}
