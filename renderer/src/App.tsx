import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Language } from '@shared/contract/settings';
import { ACTIVE_STATUSES, type TaskStatus } from '@shared/contract/values';
import { forgetToken, type Launch } from './backend/launch';
import { I18nContext, translator } from './i18n';
import type { AppModel } from './state/app-model';
import { TasksView } from './tasks/TasksView';
import { Banners } from './ui/Banners';
import { useBrowserNotifications } from './ui/browser-notifications';
import { NoTokenPage } from './ui/NoTokenPage';
import { Sidebar, type Section } from './ui/Sidebar';
import { useTheme } from './ui/theme';
import { Toasts } from './ui/Toasts';
import { saveViewPrefs, type ViewPrefs } from './ui/view-prefs';
import { useModelVersion } from './use-model';

// Not needed for the first paint (the task list): loaded when first opened.
const ProvidersView = lazy(() => import('./settings/ProvidersView').then((m) => ({ default: m.ProvidersView })));
const SettingsView = lazy(() => import('./settings/SettingsView').then((m) => ({ default: m.SettingsView })));
const SpendingView = lazy(() => import('./spending/SpendingView').then((m) => ({ default: m.SpendingView })));

const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

interface Props {
  model: AppModel;
  launch: Launch;
  osLanguage: Language;
  initialPrefs: ViewPrefs;
}

export function App({ model, launch, osLanguage, initialPrefs }: Props) {
  useModelVersion(model);
  const [section, setSection] = useState<Section>('tasks');
  const [composeSignal, setComposeSignal] = useState(0);
  const [prefs, setPrefs] = useState(initialPrefs);
  const language = model.config.settings?.language ?? osLanguage;
  const i18n = useMemo(() => ({ language, t: translator(language) }), [language]);
  useTheme(model.config.settings?.theme ?? 'system');
  useBrowserNotifications(model, launch, prefs.notify, i18n.t);
  /** The status the list showed before the gallery (which shows the finished ones) took over. */
  const listStatus = useRef<TaskStatus | null>(null);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  // The tab's title counts the jobs under way.
  const stats = model.tasks.view.shownStats();
  const running = stats ? ACTIVE_STATUSES.reduce((n, s) => n + (stats.byStatus[s] ?? 0), 0) : 0;
  useEffect(() => {
    document.title = running > 0 ? i18n.t('title.running', { n: running }) : 'SoraDesk';
  }, [running, i18n]);

  const changePrefs = useCallback((patch: Partial<ViewPrefs>) => {
    setPrefs((p) => {
      const next = { ...p, ...patch };
      saveViewPrefs(storage(), next);
      if (patch.view && patch.view !== p.view) {
        // The gallery shows finished videos; back in the list, the status filter it had returns.
        const f = model.tasks.view.filter;
        if (patch.view === 'grid') listStatus.current = f.status;
        const status = patch.view === 'grid' ? 'COMPLETED' : listStatus.current === 'COMPLETED' ? null : listStatus.current;
        void model.tasks.setFilter({ ...f, status }).catch((e: unknown) => model.notices.reportError(e));
      }
      return next;
    });
  }, [model]);

  /** Back to the list, leaving the filter as whoever called set it. */
  const showList = useCallback(() => {
    setPrefs((p) => {
      if (p.view === 'list') return p;
      const next = { ...p, view: 'list' as const };
      saveViewPrefs(storage(), next);
      return next;
    });
  }, []);

  // A status other than Completed picked in the sidebar is a list's filter: back to the list.
  const onStatusPicked = useCallback((status: TaskStatus | null) => {
    if (status === 'COMPLETED') return;
    listStatus.current = status;
    showList();
  }, [showList]);

  // The shell asked to show a task (a notification was clicked): it lives in the Tasks view's list.
  const focusSeq = model.tasks.focusRequest?.seq;
  useEffect(() => {
    if (focusSeq === undefined) return;
    setSection('tasks');
    showList();
  }, [focusSeq, showList]);

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

  // Deletes still in their undo window are sent when the page goes away, not dropped.
  useEffect(() => {
    const flush = () => void model.tasks.deletes.flush();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [model]);

  if (model.connection === 'unauthorized') return <NoTokenPage language={language} expired />;

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        <Sidebar model={model} section={section} onSection={setSection} onStatus={onStatusPicked} />
        <main className="main">
          <Banners model={model} />
          {section === 'tasks' && (
            <TasksView model={model} launch={launch} prefs={prefs} onPrefs={changePrefs} composeSignal={composeSignal} onComposeShown={() => setComposeSignal(0)} />
          )}
          <Suspense fallback={<p className="loading">{i18n.t('tasks.loading')}</p>}>
            {section === 'spending' && <SpendingView model={model} />}
            {section === 'providers' && <ProvidersView model={model} />}
            {section === 'settings' && (
              <SettingsView key={model.config.settings ? 'loaded' : 'loading'} model={model} launch={launch} notify={prefs.notify} onNotify={(notify) => changePrefs({ notify })} />
            )}
          </Suspense>
        </main>
        {section !== 'tasks' && <Toasts model={model} floating />}
      </div>
    </I18nContext.Provider>
  );
}
