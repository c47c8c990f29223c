// The page's entry, kept tiny so it runs at once: it opens the link to the core (the Electron bridge,
// else the WebSocket with the tab's token) and asks for the first page of tasks right behind the auth
// frame, then loads the app (React and the views), which takes over the open link and that page. The
// core answers while the page is still parsing the app, so the first rows come with the first render.
import type { SoraDeskBridge } from '@shared/contract/bridge';
import type { RequestInput } from '@shared/contract/messages';
import { FIRST_PAGE_SIZE, openEarly } from './backend/early-link';
import { launch } from './backend/launch';
import { applyTheme, rememberedTheme } from './ui/theme-apply';
import { loadViewPrefs } from './ui/view-prefs';
import './styles.css';

const win = window as typeof window & { soradesk?: SoraDeskBridge };
const launched = launch(win);
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();
const prefs = loadViewPrefs(storage);
// The same query the app's task model makes for its first page (the gallery shows the finished videos).
const request: RequestInput<'listTasks'> = { limit: FIRST_PAGE_SIZE, cursor: null, ...(prefs.view === 'grid' ? { status: 'COMPLETED' as const } : {}) };
const early = launched ? openEarly(launched.transport, request) : null;
// The colours of last time, before anything is painted (the settings say later).
applyTheme(rememberedTheme(storage));

// A page's first Intl date formatter loads the locale data (25-60 ms here), and every task card shows a
// date: done while the socket connects, rather than inside the first render.
setTimeout(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(0), 0);

// The app's code came with the page (modulepreload): it runs now, while the core answers.
void import('./main').then((app) => app.start({ launched, early, prefs, storage }));
