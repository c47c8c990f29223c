// The main screen: the toolbar (count "N of total", search, a creation-date range, list or gallery,
// Refresh all), the selection's bulk actions, the virtualised list or the gallery, the player, and
// the composer beside it (below it in a narrow window, folded to one line in a small one). Toasts
// sit over the list, never over the composer.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Launch } from '../backend/launch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { isFiltered } from '../state/task-state';
import { useAsk } from '../ui/AskDialog';
import { Toasts } from '../ui/Toasts';
import type { ViewPrefs } from '../ui/view-prefs';
import { BatchesPanel } from '../batches/BatchesPanel';
import { SpendTotals } from '../spending/SpendTotals';
import { BulkBar } from './BulkBar';
import { NewTaskForm } from './NewTaskForm';
import { extendTo, NO_SELECTION, prune, selectAll, type Selection, toggle } from './selection';
import type { TaskCommands } from './task-commands';
import { TaskList } from './TaskList';
import { TrackTaskForm } from './TrackTaskForm';

// Not needed for the first paint: loaded when first shown.
const GalleryView = lazy(() => import('../gallery/GalleryView').then((m) => ({ default: m.GalleryView })));
const Lightbox = lazy(() => import('../gallery/Lightbox').then((m) => ({ default: m.Lightbox })));
const BatchDialog = lazy(() => import('../batches/BatchDialog').then((m) => ({ default: m.BatchDialog })));

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

/** Typing in a field keeps its own Ctrl+A and Escape. */
const inField = (el: Element | null) => Boolean(el?.closest('input, textarea, select, [contenteditable="true"], dialog, [role="menu"]'));

interface Props {
  model: AppModel;
  launch: Launch;
  prefs: ViewPrefs;
  onPrefs(patch: Partial<ViewPrefs>): void;
  /** 1 while the user's Ctrl/Cmd+N waits for the composer; `onComposeShown` sets it back to 0. */
  composeSignal: number;
  onComposeShown(): void;
}

export function TasksView({ model, launch, prefs, onPrefs, composeSignal, onComposeShown }: Props) {
  const { t } = useI18n();
  const filter = model.tasks.view.filter;
  const [search, setSearch] = useState(filter.search);
  const [refreshing, setRefreshing] = useState(false);
  const [composing, setComposing] = useState(true);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [player, setPlayer] = useState<{ ids: string[]; videoId: string } | null>(null);
  const [datesOpen, setDatesOpen] = useState(false);
  const [batchOpen, setBatchOpen] = useState(false);
  const { ask, dialog } = useAsk();
  const compact = useMediaQuery(SMALL_WINDOW);
  const first = useRef(true);
  const grid = prefs.view === 'grid';

  // The model may clear the search itself (focusing a task it hid): show what is really applied.
  useEffect(() => setSearch(filter.search), [filter.search]);

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

  const setDates = (patch: { from?: string; to?: string }) =>
    void model.tasks.setFilter({ ...model.tasks.view.filter, ...patch }).catch((e: unknown) => model.notices.reportError(e));

  const tasks = model.tasks.view.list();
  const order = useMemo(() => tasks.map((x) => x.videoId), [tasks]);

  // What leaves the view (deleted, filtered away) leaves the selection.
  useEffect(() => {
    const shown = new Set(order);
    setSelection((s) => prune(s, (id) => shown.has(id)));
  }, [order]);

  const onSelect = useCallback((videoId: string, how: { range: boolean }) => {
    setSelection((s) => (how.range ? extendTo(s, videoId, model.tasks.view.list().map((x) => x.videoId)) : toggle(s, videoId)));
  }, [model]);

  // Ctrl/Cmd+A selects every task loaded; Escape lets go of the selection.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (grid || inField(document.activeElement)) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        setSelection(selectAll(model.tasks.view.list().map((x) => x.videoId)));
      } else if (e.key === 'Escape') setSelection(NO_SELECTION);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [grid, model]);

  const commands = useMemo<TaskCommands>(() => ({
    model,
    launch,
    ask,
    mediaUrl: launch.mediaUrl,
    play: (videoId) => {
      // The player moves through the finished videos in the order shown.
      const ids = model.tasks.view.list().filter((x) => x.status === 'COMPLETED').map((x) => x.videoId);
      setPlayer({ ids: ids.includes(videoId) ? ids : [videoId], videoId });
    },
  }), [model, launch, ask]);

  const refreshAll = () => {
    setRefreshing(true);
    model.tasks.refreshAll().catch((e: unknown) => model.notices.reportError(e)).finally(() => setRefreshing(false));
  };

  const view = model.tasks.view;
  const showDates = datesOpen || Boolean(filter.from || filter.to);
  const filtered = isFiltered(filter);
  const selected = selection.ids.size ? tasks.filter((x) => selection.ids.has(x.videoId)) : [];
  const folded = compact && !composing;
  return (
    <div className={`tasks-view${compact ? ' tasks-compact' : ''}`}>
      <section className="tasks-column" aria-label={t('nav.tasks')}>
        <header className="toolbar">
          <h1>{t('nav.tasks')}</h1>
          <span className="toolbar-count" data-testid="task-count">
            {filtered ? t('tasks.count', { shown: view.total, total: view.unfiltered }) : t('tasks.countAll', { total: view.total })}
          </span>
          <div className="view-switch" role="group" aria-label={t('view.label')}>
            {(['list', 'grid'] as const).map((v) => (
              <button key={v} type="button" className={`btn btn-sm${prefs.view === v ? ' btn-on' : ' btn-ghost'}`} aria-pressed={prefs.view === v} onClick={() => onPrefs({ view: v })}>
                {t(v === 'list' ? 'view.list' : 'view.grid')}
              </button>
            ))}
          </div>
          <input type="search" className="search" aria-label={t('search.label')} placeholder={t('search.placeholder')} value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="button" className={`btn btn-sm${showDates ? ' btn-on' : ' btn-ghost'}`} aria-expanded={showDates} onClick={() => setDatesOpen((o) => !o)}>
            {t('filter.dates')}
          </button>
          <button type="button" className="btn btn-sm btn-secondary" onClick={refreshAll} disabled={refreshing} aria-busy={refreshing}>
            {t('action.refreshAll')}
          </button>
          <button type="button" className="btn btn-sm btn-secondary" onClick={() => setBatchOpen(true)}>
            {t('batch.new')}
          </button>
        </header>
        {showDates && <div className="filter-row">
          <label className="date-field">
            <span>{t('filter.from')}</span>
            <input type="date" value={filter.from ?? ''} max={filter.to || undefined} onChange={(e) => setDates({ from: e.target.value || undefined })} />
          </label>
          <label className="date-field">
            <span>{t('filter.to')}</span>
            <input type="date" value={filter.to ?? ''} min={filter.from || undefined} onChange={(e) => setDates({ to: e.target.value || undefined })} />
          </label>
          {(filter.from || filter.to) && (
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => setDates({ from: undefined, to: undefined })}>{t('filter.clearDates')}</button>
          )}
        </div>}
        <div className="list-summary">
          <SpendTotals model={model} />
        </div>
        <BatchesPanel model={model} />
        {!grid && selected.length > 0 && (
          <BulkBar selected={selected} loaded={tasks.length} commands={commands} onSelectAll={() => setSelection(selectAll(order))} onClear={() => setSelection(NO_SELECTION)} />
        )}
        {grid ? (
          <Suspense fallback={<p className="loading">{t('tasks.loading')}</p>}>
            <GalleryView tasks={tasks} commands={commands} prefs={prefs} onPrefs={onPrefs} onPlay={(ids, videoId) => setPlayer({ ids, videoId })} />
          </Suspense>
        ) : (
          <TaskList tasks={tasks} commands={commands} selection={selection} onSelect={onSelect} />
        )}
        <Toasts model={model} />
      </section>
      <aside className={`composer-column${folded ? ' composer-column-folded' : ''}`}>
        <NewTaskForm model={model} compact={compact} focusSignal={composeSignal} onFocusShown={onComposeShown} onExpandedChange={setComposing} />
        {!folded && <TrackTaskForm model={model} />}
      </aside>
      {player && (
        <Suspense fallback={null}>
          <Lightbox ids={player.ids} videoId={player.videoId} commands={commands} onMove={(videoId) => setPlayer((p) => (p ? { ...p, videoId } : p))} onClose={() => setPlayer(null)} />
        </Suspense>
      )}
      {batchOpen && (
        <Suspense fallback={null}>
          <BatchDialog model={model} onClose={() => setBatchOpen(false)} />
        </Suspense>
      )}
      {dialog}
    </div>
  );
}
