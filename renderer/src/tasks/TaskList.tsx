// The task list, virtualised: only the rows near the viewport are in the DOM, so 10,000 tasks
// scroll as smoothly as 10. Scrolling near the end asks for the next page. A task the shell asked
// for (focusTask) is scrolled to, focused and briefly highlighted. The active tasks on screen are
// watched, so the core looks at them sooner.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { isActive, isTerminal } from '@shared/contract/values';
import type { TaskView } from '@shared/contract/task';
import { useI18n } from '../i18n';
import { isFiltered } from '../state/task-state';
import type { Selection } from './selection';
import { TaskCard } from './TaskCard';
import type { TaskCommands } from './task-commands';

interface Props {
  tasks: TaskView[];
  commands: TaskCommands;
  selection: Selection;
  onSelect(videoId: string, how: { range: boolean }): void;
}

const HIGHLIGHT_MS = 2500;
const FOCUS_FRAMES = 30;

function useSecondTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function TaskList({ tasks, commands, selection, onSelect }: Props) {
  const { t } = useI18n();
  const { model } = commands;
  const scrollRef = useRef<HTMLDivElement>(null);
  const hasMore = model.tasks.view.nextCursor !== null;
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scrollRef.current,
    // The first render already has the rows (the list is about the window's height), not a second one.
    initialRect: { width: 0, height: window.innerHeight },
    estimateSize: (i) => (tasks[i]?.status === 'FAILED' ? 150 : 120),
    getItemKey: (i) => tasks[i]?.videoId ?? i,
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  const now = useSecondTick(tasks.some((task) => !isTerminal(task.status)));
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const focusRequest = model.tasks.focusRequest;
  const focusIndex = focusRequest ? tasks.findIndex((task) => task.videoId === focusRequest.videoId) : -1;

  useEffect(() => {
    if (!focusRequest || focusIndex < 0) return;
    // The row exists only once the list has scrolled near it (and sizes got measured on the way):
    // scroll and look again over a few frames.
    let frames = 0;
    let raf = 0;
    const tryFocus = () => {
      virtualizer.scrollToIndex(focusIndex, { align: 'center' });
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-video-id="${CSS.escape(focusRequest.videoId)}"]`);
      if (row) {
        row.focus();
        setHighlighted(focusRequest.videoId);
        model.tasks.focusShown(focusRequest.seq);
      } else if (++frames < FOCUS_FRAMES) raf = requestAnimationFrame(tryFocus);
    };
    raf = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(raf);
    // Only a new request (or its task arriving in the list) starts this; scrolling must not.
  }, [focusRequest, focusIndex]);

  useEffect(() => {
    if (!highlighted) return;
    const timer = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  useEffect(() => {
    if (hasMore && lastIndex >= tasks.length - 10) void model.tasks.loadMore().catch((e: unknown) => model.notices.reportError(e));
  }, [hasMore, lastIndex, tasks.length, model]);

  // The active tasks on screen are watched; the set changes only when that list of ids does.
  const watched = items.map((item) => tasks[item.index]).filter((task) => task && isActive(task.status)).map((task) => task.videoId).join(' ');
  useEffect(() => {
    model.tasks.watch.set(watched ? watched.split(' ') : []);
  }, [watched, model]);
  useEffect(() => () => model.tasks.watch.set([]), [model]);

  const names = new Map(model.config.providers.map((p) => [p.id, p.name]));
  const filtered = isFiltered(model.tasks.view.filter);
  const selecting = selection.ids.size > 0;

  return (
    <div className="task-scroll" ref={scrollRef}>
      {tasks.length === 0 && !model.tasks.loadingPage && (
        <p className="empty">{filtered ? t('tasks.emptyFiltered') : t('tasks.empty')}</p>
      )}
      <div role="list" aria-label={t('tasks.list')} className="task-list" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const task = tasks[item.index];
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={model.tasks.view.total}
              aria-posinset={item.index + 1}
              data-index={item.index}
              data-video-id={task.videoId}
              ref={virtualizer.measureElement}
              tabIndex={-1}
              className={`task-slot${highlighted === task.videoId ? ' task-slot-highlight' : ''}`}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <TaskCard
                task={task}
                providerName={names.get(task.providerId) ?? task.providerId}
                now={isTerminal(task.status) ? 0 : now}
                selected={selection.ids.has(task.videoId)}
                selecting={selecting}
                commands={commands}
                onSelect={onSelect}
              />
            </div>
          );
        })}
      </div>
      {model.tasks.loadingPage && <p className="loading">{t('tasks.loading')}</p>}
    </div>
  );
}
