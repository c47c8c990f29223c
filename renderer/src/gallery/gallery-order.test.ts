import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { taskView } from '../state/test-support/task-fixture';
import { dayLabel, dayOf, gridRows, groupByDay, sortForGallery } from './gallery-order';

// Local times, so the day boundaries are the user's own.
const local = (d: number, h: number) => new Date(2026, 10, d, h).toISOString();
const tasks = [
  taskView({ videoId: 'a', status: 'COMPLETED', createdAt: local(29, 9), seconds: '4' }),
  taskView({ videoId: 'b', status: 'COMPLETED', createdAt: local(29, 8), seconds: '12' }),
  taskView({ videoId: 'c', status: 'COMPLETED', createdAt: local(28, 23), seconds: '8' }),
  taskView({ videoId: 'd', status: 'COMPLETED', createdAt: local(27, 1), seconds: '12', cost: { estimate: 1.2, actual: 1.2, currency: 'USD' } }),
];
const ids = (list: { videoId: string }[]) => list.map((t) => t.videoId);

describe('the gallery order', () => {
  it('sorts by date (newest first), duration (longest first, then newest) or cost (unknown last)', () => {
    expect(ids(sortForGallery([...tasks].reverse(), 'date'))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(sortForGallery(tasks, 'duration'))).toEqual(['b', 'd', 'c', 'a']);
    expect(ids(sortForGallery(tasks, 'cost'))).toEqual(['d', 'a', 'b', 'c']);
  });

  it('groups by the local day, newest day first, keeping the order within a day', () => {
    const groups = groupByDay(sortForGallery(tasks, 'duration'));
    expect(groups.map((g) => [g.day, ids(g.tasks)])).toEqual([
      ['2026-11-29', ['b', 'a']],
      ['2026-11-28', ['c']],
      ['2026-11-27', ['d']],
    ]);
  });

  it('cuts rows of as many cards as fit, with a heading row per day when grouped', () => {
    const rows = gridRows(tasks, { sort: 'date', byDay: true, columns: 1.7 });
    expect(rows.map((r) => (r.kind === 'day' ? r.day : ids(r.tasks).join('')))).toEqual(['2026-11-29', 'a', 'b', '2026-11-28', 'c', '2026-11-27', 'd']);
    const flat = gridRows(tasks, { sort: 'date', byDay: false, columns: 3 });
    expect(flat.map((r) => (r.kind === 'cards' ? ids(r.tasks) : r.day))).toEqual([['a', 'b', 'c'], ['d']]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length); // keys unique, for the virtualiser
  });

  it('labels today and yesterday by name, older days by date', () => {
    const t = translator('en');
    const now = new Date(2026, 10, 29, 12);
    expect(dayLabel(dayOf(local(29, 1)), now, 'en', t)).toBe('Today');
    expect(dayLabel('2026-11-28', now, 'en', t)).toBe('Yesterday');
    expect(dayLabel('2026-11-27', now, 'en', t)).toContain('November 27');
  });
});
