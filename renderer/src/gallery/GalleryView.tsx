// The gallery: finished videos as a grid of thumbnails (hover plays one muted), each with its length
// and date; sorted by date, duration or cost, optionally grouped by day. Virtualised by rows, like the
// list, so a library of thousands scrolls as smoothly as a dozen. A click opens the player.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TaskView } from '@shared/contract/task';
import { useI18n } from '../i18n';
import { isFiltered } from '../state/task-state';
import type { TaskCommands } from '../tasks/task-commands';
import type { ViewPrefs } from '../ui/view-prefs';
import { GalleryCard } from './GalleryCard';
import { dayLabel, GALLERY_SORTS, type GallerySort, gridRows } from './gallery-order';
import './gallery.css';

const MIN_CARD_PX = 220;
const GAP_PX = 14;
const HEADING_PX = 40;

interface Props {
  tasks: TaskView[];
  commands: TaskCommands;
  prefs: ViewPrefs;
  onPrefs(patch: Partial<ViewPrefs>): void;
  onPlay(ids: string[], videoId: string): void;
}

const SORT_LABEL = { date: 'gallery.sortDate', duration: 'gallery.sortDuration', cost: 'gallery.sortCost' } as const;

export function GalleryView({ tasks, commands, prefs, onPrefs, onPlay }: Props) {
  const { t, language } = useI18n();
  const { model } = commands;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [loadingAll, setLoadingAll] = useState(false);
  const finished = useMemo(() => tasks.filter((x) => x.status === 'COMPLETED'), [tasks]);
  const columns = Math.max(1, Math.floor((width + GAP_PX) / (MIN_CARD_PX + GAP_PX)));
  const rows = useMemo(() => gridRows(finished, { sort: prefs.gallerySort, byDay: prefs.byDay, columns }), [finished, prefs.gallerySort, prefs.byDay, columns]);
  const order = useMemo(() => rows.flatMap((r) => (r.kind === 'cards' ? r.tasks.map((x) => x.videoId) : [])), [rows]);
  const cardHeight = (width - GAP_PX * (columns - 1)) / columns * (9 / 16) + 64;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth - 40);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A sort other than by date needs every finished video, not the newest pages only.
  useEffect(() => {
    if (prefs.gallerySort === 'date' || !model.tasks.view.nextCursor) return;
    setLoadingAll(true);
    void model.tasks.loadAll().catch((e: unknown) => model.notices.reportError(e)).finally(() => setLoadingAll(false));
  }, [prefs.gallerySort, model]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'day' ? HEADING_PX : cardHeight + GAP_PX),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 3,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  const hasMore = model.tasks.view.nextCursor !== null;
  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - 4) void model.tasks.loadMore().catch((e: unknown) => model.notices.reportError(e));
  }, [hasMore, lastIndex, rows.length, model]);
  useEffect(() => virtualizer.measure(), [columns, virtualizer]);

  const now = new Date();
  return (
    <div className="gallery">
      <div className="gallery-controls">
        <label className="inline-field">
          <span>{t('gallery.sort')}</span>
          <select value={prefs.gallerySort} onChange={(e) => onPrefs({ gallerySort: e.target.value as GallerySort })}>
            {GALLERY_SORTS.map((s) => <option key={s} value={s}>{t(SORT_LABEL[s])}</option>)}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={prefs.byDay} onChange={(e) => onPrefs({ byDay: e.target.checked })} />
          <span>{t('gallery.groupByDay')}</span>
        </label>
        {loadingAll && <span className="hint" role="status">{t('gallery.loadingAll')}</span>}
      </div>
      <div className="gallery-scroll task-scroll" ref={scrollRef}>
        {finished.length === 0 && !model.tasks.loadingPage && (
          <p className="empty">{isFiltered({ ...model.tasks.view.filter, status: null }) ? t('gallery.emptyFiltered') : t('gallery.empty')}</p>
        )}
        <div role="list" aria-label={t('gallery.region')} className="gallery-grid" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="gallery-row" style={{ transform: `translateY(${item.start}px)` }} role="presentation">
                {row.kind === 'day' ? (
                  <h2 className="gallery-day">{dayLabel(row.day, now, language, t)}</h2>
                ) : (
                  <div className="gallery-cards" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }} role="presentation">
                    {row.tasks.map((task) => (
                      <GalleryCard key={task.videoId} task={task} mediaUrl={commands.mediaUrl} onOpen={() => onPlay(order, task.videoId)} />
                    ))}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
