import { useEffect, useMemo, useState } from 'react';
import type { Language } from '@shared/contract/settings';
import { forgetToken, type Launch } from './backend/launch';
import { I18nContext, translator } from './i18n';
import { ProvidersView } from './settings/ProvidersView';
import { SettingsView } from './settings/SettingsView';
import type { AppModel } from './state/app-model';
import { TasksView } from './tasks/TasksView';
import { Banners } from './ui/Banners';
import { NoTokenPage } from './ui/NoTokenPage';
import { Sidebar, type Section } from './ui/Sidebar';
import { Toasts } from './ui/Toasts';
import { useModelVersion } from './use-model';

export function App({ model, launch, osLanguage }: { model: AppModel; launch: Launch; osLanguage: Language }) {
  useModelVersion(model);
  const [section, setSection] = useState<Section>('tasks');
  const [composeSignal, setComposeSignal] = useState(0);
  const language = model.config.settings?.language ?? osLanguage;
  const i18n = useMemo(() => ({ language, t: translator(language) }), [language]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  // The shell asked to show a task (a notification was clicked): it lives in the Tasks view.
  const focusSeq = model.tasks.focusRequest?.seq;
  useEffect(() => {
    if (focusSeq !== undefined) setSection('tasks');
  }, [focusSeq]);

  // Ctrl/Cmd+N, from anywhere: a new video (the composer's prompt gets the focus).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        setSection('tasks');
        setComposeSignal(1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    // A refused token cannot get better by retrying: forget it, so a reload shows the help page.
    if (model.connection === 'unauthorized') forgetToken(window.sessionStorage);
  }, [model.connection]);

  if (model.connection === 'unauthorized') return <NoTokenPage language={language} expired />;

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        <Sidebar model={model} section={section} onSection={setSection} />
        <main className="main">
          <Banners model={model} />
          {section === 'tasks' && <TasksView model={model} launch={launch} composeSignal={composeSignal} onComposeShown={() => setComposeSignal(0)} />}
          {section === 'providers' && <ProvidersView model={model} />}
          {section === 'settings' && <SettingsView key={model.config.settings ? 'loaded' : 'loading'} model={model} />}
        </main>
        <Toasts model={model} />
      </div>
    </I18nContext.Provider>
  );
}
