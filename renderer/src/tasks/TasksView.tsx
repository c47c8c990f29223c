// The main screen: toolbar (search, Refresh all), the virtualised list, and the composer beside it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Launch } from '../backend/launch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { AskDialog, type AskRequest } from '../ui/AskDialog';
import { NewTaskForm } from './NewTaskForm';
import { TaskList } from './TaskList';
import { TrackTaskForm } from './TrackTaskForm';

const SEARCH_DEBOUNCE_MS = 300;

export function TasksView({ model, launch }: { model: AppModel; launch: Launch }) {
  const { t } = useI18n();
  const [search, setSearch] = useState(model.tasks.filter.search);
  const [asking, setAsking] = useState<AskRequest | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const first = useRef(true);

  // Search runs on the service (listTasks), once the user pauses typing.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => {
      void model.setFilter({ ...model.tasks.filter, search }).catch((e: unknown) => model.reportError(e));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, model]);

  const ask = useCallback(
    (request: Omit<AskRequest, 'onAnswer'>) =>
      new Promise<string | null>((resolve) => {
        setAsking({ ...request, onAnswer: (v) => { setAsking(null); resolve(v); } });
      }),
    [],
  );

  const refreshAll = () => {
    setRefreshing(true);
    model.refreshAll().catch((e: unknown) => model.reportError(e)).finally(() => setRefreshing(false));
  };

  const tasks = model.tasks.list();
  return (
    <div className="tasks-view">
      <section className="tasks-column" aria-label={t('nav.tasks')}>
        <header className="toolbar">
          <h1>{t('nav.tasks')}</h1>
          <span className="toolbar-count">{t('tasks.count', { shown: tasks.length, total: model.tasks.total })}</span>
          <input
            type="search"
            className="search"
            aria-label={t('search.label')}
            placeholder={t('search.placeholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="button" className="btn btn-secondary" onClick={refreshAll} disabled={refreshing} aria-busy={refreshing}>
            {t('action.refreshAll')}
          </button>
        </header>
        <TaskList tasks={tasks} model={model} launch={launch} ask={ask} />
      </section>
      <aside className="composer-column">
        <NewTaskForm model={model} />
        <TrackTaskForm model={model} />
      </aside>
      {asking && <AskDialog ask={asking} />}
    </div>
  );
}
