// The app, loaded by the boot module (boot.ts) right after it opened the link: React, the model, the views.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { App } from './App';
import { ContractClient } from '@shared/client/contract-client';
import { languageForLocale } from '@shared/contract/values';
import type { EarlyLink } from './backend/early-link';
import { launch, type Launch, tokenInHash } from './backend/launch';
import { AppModel } from './state/app-model';
import { nextFrame } from './state/change-notifier';
import { NoTokenPage } from './ui/NoTokenPage';
import { loadViewPrefs, type ViewPrefs } from './ui/view-prefs';

/** What the boot module did before the app loaded. */
export interface Booted {
  launched: Launch | null;
  /** The link it opened and the first page it asked for (null without a token). */
  early: EarlyLink | null;
  prefs: ViewPrefs;
  storage: Storage | null;
}

const win = window as typeof window & { soradesk?: SoraDeskBridge };
const osLanguage = languageForLocale(navigator.language);
let root: ReturnType<typeof createRoot> | null = null;
let running: AppModel | null = null;
let launches = 0;

/** How long the first render waits for the first page the boot module asked for. */
const FIRST_PAGE_WAIT_MS = 150;

/** Shows the app over the link the boot module opened; later, a new token link starts it again. */
export async function start(booted: Booted): Promise<void> {
  root = createRoot(document.getElementById('root') as HTMLElement);
  // The first page is usually a few ms away by now: rendering without it would paint an empty list and
  // render it all again a frame later. A slow core does not hold the page up for long.
  if (booted.early) await Promise.race([booted.early.firstPage, new Promise((r) => setTimeout(r, FIRST_PAGE_WAIT_MS))]);
  show(booted);
  // Pasting the #token= link into a tab that is already open changes only the fragment: the page does
  // not reload, so the new token is taken here (the desktop app has no tokens).
  if (!win.soradesk) {
    window.addEventListener('hashchange', () => {
      if (tokenInHash(window.location.hash)) show({ launched: launch(win), early: null, prefs: loadViewPrefs(booted.storage), storage: booted.storage });
    });
  }
}

/** Connects with the token this tab has (from the link or from before a reload) and shows the app. */
function show({ launched, early, prefs }: Booted): void {
  const previous = running;
  running = null;
  if (previous) {
    // A new link replaces the old connection; deletes still in their undo window go out first.
    void previous.tasks.deletes.flush().finally(() => {
      previous.link.stop();
      previous.client.stop();
    });
  }
  if (!launched) {
    root!.render(<StrictMode><NoTokenPage language={osLanguage} expired={false} /></StrictMode>);
    return;
  }
  const client = new ContractClient(early?.transport ?? launched.transport);
  const model = new AppModel(client, 6000, nextFrame, { probeService: launched.probeService, firstPage: early?.firstPage });
  // The gallery shows the finished videos: its first page is asked for as such.
  if (prefs.view === 'grid') model.tasks.view.setFilter({ status: 'COMPLETED', search: '' });
  running = model;
  root!.render(
    <StrictMode>
      <App key={++launches} model={model} launch={launched} osLanguage={osLanguage} initialPrefs={prefs} />
    </StrictMode>,
  );
  model.client.start();
}
