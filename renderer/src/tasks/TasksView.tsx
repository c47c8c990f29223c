// The main screen: toolbar (search, Refresh all), the virtualised list, and the composer beside it
// (below it in a narrow window, folded to one line in a small one).
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Launch } from '../backend/launch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { useAsk } from '../ui/AskDialog';
import { NewTaskForm } from './NewTaskForm';
import { TaskList } from './TaskList';
import { TrackTaskForm } from './TrackTaskForm';

const SEARCH_DEBOUNCE_MS = 300;
/** Where the full composer would squeeze the list: it folds to one line until used. */
const SMALL_WINDOW = '(max-width: 980px), (max-height: 680px)';

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (cb) => {
      const mq = window.matchMedia(query);
      mq.addEventListener('change', cb);
      return () => mq.removeEventListener('change', cb);
    },
    () => window.matchMedia(query).matches,
  );
}

interface Props {
  model: AppModel;
  launch: Launch;
  /** 1 while the user's Ctrl/Cmd+N waits for the composer; `onComposeShown` sets it back to 0. */
  composeSignal: number;
  onComposeShown(): void;
}

export function TasksView({ model, launch, composeSignal, onComposeShown }: Props) {
  const { t } = useI18n();
  const filterSearch = model.tasks.view.filter.search;
  const [search, setSearch] = useState(filterSearch);
  const [refreshing, setRefreshing] = useState(false);
  const [composing, setComposing] = useState(true);
  const { ask, dialog } = useAsk();
  const compact = useMediaQuery(SMALL_WINDOW);
  const first = useRef(true);

  // The model may clear the search itself (focusing a task it hid): show what is really applied.
  useEffect(() => setSearch(filterSearch), [filterSearch]);

  // Search runs on the service (listTasks), once the user pauses typing.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (search === model.tasks.view.filter.search) return;
    const timer = setTimeout(() => {
      void model.tasks.setFilter({ ...model.tasks.view.filter, search }).catch((e: unknown) => model.notices.reportError(e));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, model]);

  const refreshAll = () => {
    setRefreshing(true);
    model.tasks.refreshAll().catch((e: unknown) => model.notices.reportError(e)).finally(() => setRefreshing(false));
  };

  const tasks = model.tasks.view.list();
  const folded = compact && !composing;
  return (
    <div className={`tasks-view${compact ? ' tasks-compact' : ''}`}>
      <section className="tasks-column" aria-label={t('nav.tasks')}>
        <header className="toolbar">
          <h1>{t('nav.tasks')}</h1>
          <span className="toolbar-count">{t('tasks.count', { shown: tasks.length, total: model.tasks.view.total })}</span>
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
      <aside className={`composer-column${folded ? ' composer-column-folded' : ''}`}>
        <NewTaskForm model={model} compact={compact} focusSignal={composeSignal} onFocusShown={onComposeShown} onExpandedChange={setComposing} />
        {!folded && <TrackTaskForm model={model} />}
      </aside>
      {dialog}
    </div>
  );
}
