// How this window likes to look, kept in the page's local storage: list or gallery, the gallery's
// sort and grouping, and whether to show browser notifications (a browser's permission is per site,
// so this is per browser, not a setting of the service).

export const GALLERY_SORTS = ['date', 'duration', 'cost'] as const;
export type GallerySort = (typeof GALLERY_SORTS)[number];

export interface ViewPrefs {
  view: 'list' | 'grid';
  gallerySort: GallerySort;
  byDay: boolean;
  notify: boolean;
}

export const DEFAULT_PREFS: ViewPrefs = { view: 'list', gallerySort: 'date', byDay: true, notify: false };
const KEY = 'soradesk.view';

export function loadViewPrefs(storage: Pick<Storage, 'getItem'> | null): ViewPrefs {
  try {
    const raw = JSON.parse(storage?.getItem(KEY) ?? '{}') as Partial<Record<keyof ViewPrefs, unknown>>;
    return {
      view: raw.view === 'grid' ? 'grid' : 'list',
      gallerySort: (GALLERY_SORTS as readonly unknown[]).includes(raw.gallerySort) ? (raw.gallerySort as GallerySort) : DEFAULT_PREFS.gallerySort,
      byDay: typeof raw.byDay === 'boolean' ? raw.byDay : DEFAULT_PREFS.byDay,
      notify: raw.notify === true,
    };
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

export function saveViewPrefs(storage: Pick<Storage, 'setItem'> | null, prefs: ViewPrefs): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Refused (private mode, full): the choice lasts for this page.
  }
}
