import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { App } from './App';
import { BackendClient } from './backend/client';
import { launch } from './backend/launch';
import { languageFromLocale } from './i18n';
import { AppModel } from './state/app-model';
import { NoTokenPage } from './ui/NoTokenPage';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const launched = launch(window as Window & { soradesk?: SoraDeskBridge });
const osLanguage = languageFromLocale(navigator.language);

if (!launched) {
  root.render(<StrictMode><NoTokenPage language={osLanguage} expired={false} /></StrictMode>);
} else {
  const model = new AppModel(new BackendClient(launched.transport));
  root.render(
    <StrictMode>
      <App model={model} launch={launched} osLanguage={osLanguage} />
    </StrictMode>,
  );
  model.client.start();
}
