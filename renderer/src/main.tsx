import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import { App } from './App';
import { ContractClient } from '@shared/client/contract-client';
import { languageForLocale } from '@shared/contract/values';
import { launch } from './backend/launch';
import { AppModel } from './state/app-model';
import { NoTokenPage } from './ui/NoTokenPage';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const launched = launch(window as typeof window & { soradesk?: SoraDeskBridge });
const osLanguage = languageForLocale(navigator.language);

if (!launched) {
  root.render(<StrictMode><NoTokenPage language={osLanguage} expired={false} /></StrictMode>);
} else {
  const model = new AppModel(new ContractClient(launched.transport));
  root.render(
    <StrictMode>
      <App model={model} launch={launched} osLanguage={osLanguage} />
    </StrictMode>,
  );
  model.client.start();
}
