import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { App } from './App';
import { ContractClient } from '@shared/client/contract-client';
import { languageForLocale } from '@shared/contract/values';
import { launch, tokenInHash } from './backend/launch';
import { AppModel } from './state/app-model';
import { nextFrame } from './state/change-notifier';
import { NoTokenPage } from './ui/NoTokenPage';
import { applyTheme, rememberedTheme } from './ui/theme';
import { loadViewPrefs } from './ui/view-prefs';
import './styles.css';

const win = window as typeof window & { soradesk?: SoraDeskBridge };
const root = createRoot(document.getElementById('root') as HTMLElement);
const osLanguage = languageForLocale(navigator.language);
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();
applyTheme(rememberedTheme(storage));

let running: AppModel | null = null;
let launches = 0;

/** Connects with the token this tab has (from the link or from before a reload) and shows the app. */
function boot(): void {
  const previous = running;
  running = null;
  if (previous) {
    // A new link replaces the old connection; deletes still in their undo window go out first.
    void previous.tasks.deletes.flush().finally(() => {
      previous.link.stop();
      previous.client.stop();
    });
  }
  const launched = launch(win);
  if (!launched) {
    root.render(<StrictMode><NoTokenPage language={osLanguage} expired={false} /></StrictMode>);
    return;
  }
  const prefs = loadViewPrefs(storage);
  const model = new AppModel(new ContractClient(launched.transport), 6000, nextFrame, { probeService: launched.probeService });
  // The gallery shows the finished videos: its first page is asked for as such.
  if (prefs.view === 'grid') model.tasks.view.setFilter({ status: 'COMPLETED', search: '' });
  running = model;
  root.render(
    <StrictMode>
      <App key={++launches} model={model} launch={launched} osLanguage={osLanguage} initialPrefs={prefs} />
    </StrictMode>,
  );
  model.client.start();
}

boot();

// Pasting the #token= link into a tab that is already open changes only the fragment: the page does
// not reload, so the new token is taken here (the desktop app has no tokens).
if (!win.soradesk) {
  window.addEventListener('hashchange', () => {
    if (tokenInHash(window.location.hash)) boot();
  });
}
