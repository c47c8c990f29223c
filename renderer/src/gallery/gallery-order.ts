// The gallery's order: sort by date (newest first), duration (longest first) or cost (dearest first,
// unknown cost last), optionally grouped by the day the video was made; then cut into grid rows of
// as many cards as fit across, so the grid can be virtualised like the list.
import type { TaskView } from '@shared/contract/task';
import type { Translate } from '../i18n';
import { costOf } from '../tasks/cost';
import { compareNewestFirst } from '../state/task-state';
import type { GallerySort } from '../ui/view-prefs';

// The sorts are view preferences, kept with them (the page's boot module reads those before the gallery loads).
export { GALLERY_SORTS, type GallerySort } from '../ui/view-prefs';

export type GridRow =
  | { kind: 'day'; key: string; day: string }
  | { kind: 'cards'; key: string; tasks: TaskView[] };

const seconds = (t: TaskView) => (t.seconds ? Number(t.seconds) : -1);
const amount = (t: TaskView) => costOf(t)?.amount ?? -1;

export function sortForGallery(tasks: readonly TaskView[], sort: GallerySort): TaskView[] {
  const key = sort === 'duration' ? seconds : sort === 'cost' ? amount : null;
  const out = [...tasks];
  out.sort((a, b) => (key ? key(b) - key(a) : 0) || compareNewestFirst(a, b));
  return out;
}

/** The local calendar day a task was made (YYYY-MM-DD). */
export function dayOf(iso: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return '0000-00-00';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Groups by day, newest day first; each day keeps the order it is given. */
export function groupByDay(tasks: readonly TaskView[]): Array<{ day: string; tasks: TaskView[] }> {
  const byDay = new Map<string, TaskView[]>();
  for (const t of tasks) {
    const day = dayOf(t.createdAt);
    const list = byDay.get(day);
    if (list) list.push(t);
    else byDay.set(day, [t]);
  }
  return [...byDay.entries()].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([day, list]) => ({ day, tasks: list }));
}

/** Rows for the virtualised grid: a heading row per day (when grouped), then rows of `columns` cards. */
export function gridRows(tasks: readonly TaskView[], opts: { sort: GallerySort; byDay: boolean; columns: number }): GridRow[] {
  const columns = Math.max(1, Math.floor(opts.columns));
  const sorted = sortForGallery(tasks, opts.sort);
  const groups = opts.byDay ? groupByDay(sorted) : [{ day: '', tasks: sorted }];
  const rows: GridRow[] = [];
  for (const g of groups) {
    if (opts.byDay) rows.push({ kind: 'day', key: `day-${g.day}`, day: g.day });
    for (let i = 0; i < g.tasks.length; i += columns) {
      const slice = g.tasks.slice(i, i + columns);
      rows.push({ kind: 'cards', key: `${g.day}-${slice[0].videoId}`, tasks: slice });
    }
  }
  return rows;
}

/** "Today", "Yesterday", or the date in the UI's language. */
export function dayLabel(day: string, now: Date, language: string, t: Translate): string {
  if (day === dayOf(now.toISOString())) return t('gallery.today');
  const y = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (day === dayOf(y.toISOString())) return t('gallery.yesterday');
  const [yy, mm, dd] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(new Date(yy, mm - 1, dd));
}
