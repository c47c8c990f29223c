// The client's task map, keyed by videoId. Replies and pushes may arrive in any order; the merge
// rule keeps the newest: an older updatedAt never overwrites a newer one. The newest-first order is
// kept up to date in place (binary search), so a push costs O(log n) to place, not a full re-sort.
import { createdWithin, matchesWords, searchTextOf, searchWords } from '@shared/contract/search';
import type { TaskStats, TaskView } from '@shared/contract/task';
import { STATUS_RANK as RANK, type TaskStatus } from '@shared/contract/values';

export interface TaskFilter {
  status: TaskStatus | null;
  search: string;
  /** First and last day of creation to show, as the date fields give them (YYYY-MM-DD, local time); absent: open. */
  from?: string;
  to?: string;
}

/** A page of listTasks as any core answers it (`unfiltered` is absent from cores before it). */
export interface TaskPageReply {
  tasks: TaskView[];
  nextCursor: string | null;
  total: number;
  unfiltered?: number;
}

/** A local day (YYYY-MM-DD) as the instant its midnight falls on here; `plusDays` for the day after. */
function localMidnight(day: string | undefined, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
}

/** The filter's days as the listTasks bounds: from the first day's midnight to the midnight after the last. */
export function filterBounds(filter: TaskFilter): { from: string | null; to: string | null } {
  return { from: localMidnight(filter.from), to: localMidnight(filter.to, 1) };
}

export function isFiltered(filter: TaskFilter): boolean {
  return filter.status !== null || filter.search.trim() !== '' || Boolean(filter.from) || Boolean(filter.to);
}

/** Is `incoming` at least as new as `current`? Equal times fall back to status and progress. */
export function isNewer(incoming: TaskView, current: TaskView): boolean {
  const a = Date.parse(incoming.updatedAt);
  const b = Date.parse(current.updatedAt);
  if (a !== b) return a > b;
  if (RANK[incoming.status] !== RANK[current.status]) return RANK[incoming.status] > RANK[current.status];
  return incoming.progress >= current.progress;
}

/** The core's rule (shared/contract/search.ts), so a pushed task joins or leaves the view as listTasks would say. */
export function matchesFilter(task: TaskView, filter: TaskFilter): boolean {
  if (filter.status && task.status !== filter.status) return false;
  const { from, to } = filterBounds(filter);
  if ((from || to) && !createdWithin(Date.parse(task.createdAt), from, to)) return false;
  const words = searchWords(filter.search);
  return words.length === 0 || matchesWords(searchTextOf(task), words);
}

/** Newest first: createdAt desc, then videoId desc (the store's order). */
export function compareNewestFirst(a: TaskView, b: TaskView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.videoId < b.videoId ? 1 : a.videoId > b.videoId ? -1 : 0;
}

/** Where `task` sits (or would sit) in `order`, which is sorted newest first: the first index not before it. */
function positionOf(order: readonly TaskView[], task: TaskView): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareNewestFirst(order[mid], task) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface MergeResult {
  /** The state before the merge, or undefined when the task was new to us. */
  previous: TaskView | undefined;
  applied: boolean;
}

export class TaskState {
  private readonly tasks = new Map<string, TaskView>();
  /** Deleted ids: a late push about a deleted task must not bring it back. */
  private readonly deleted = new Set<string>();
  /** Deleted here but not sent yet (the undo window): out of view, back on undo. */
  private readonly hidden = new Set<string>();
  /** Every task in `tasks`, newest first, edited in place on each change. */
  private readonly order: TaskView[] = [];
  /** A frozen copy of `order` handed to React; rebuilt at most once per render, not per push. */
  private snapshot: TaskView[] | null = null;
  private readonly listeners = new Set<() => void>();
  filter: TaskFilter = { status: null, search: '' };
  nextCursor: string | null = null;
  /** Tasks matching the filter, as the core counts them (the ones waiting to be deleted left out). */
  total = 0;
  /** Every task, whatever the filter: the "of N" (the core's count; the filtered total from an older core). */
  unfiltered = 0;
  stats: TaskStats | null = null;
  version = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(videoId: string): TaskView | undefined {
    return this.tasks.get(videoId);
  }

  /** The tasks in view, newest first. The array is stable until the next change (for React). */
  list(): TaskView[] {
    if (!this.snapshot) this.snapshot = this.hidden.size ? this.order.filter((t) => !this.hidden.has(t.videoId)) : this.order.slice();
    return this.snapshot;
  }

  /** Takes tasks out of view without forgetting them (a delete that can still be undone). */
  hide(videoIds: readonly string[]): void {
    for (const id of videoIds) {
      if (this.hidden.has(id) || this.deleted.has(id)) continue;
      this.hidden.add(id);
      if (this.tasks.has(id)) this.total = Math.max(0, this.total - 1);
      this.unfiltered = Math.max(0, this.unfiltered - 1);
    }
    this.changed();
  }

  /** Brings hidden tasks back (undo). */
  unhide(videoIds: readonly string[]): void {
    for (const id of videoIds) {
      if (!this.hidden.delete(id)) continue;
      if (this.tasks.has(id)) this.total += 1;
      this.unfiltered += 1;
    }
    this.changed();
  }

  isHidden(videoId: string): boolean {
    return this.hidden.has(videoId);
  }

  /** Merges one task from a push or a reply. Tasks outside the current filter are dropped from view. */
  merge(task: TaskView): MergeResult {
    if (this.deleted.has(task.videoId)) return { previous: undefined, applied: false };
    const previous = this.tasks.get(task.videoId);
    if (previous && !isNewer(task, previous)) return { previous, applied: false };
    // A hidden task (its delete can still be undone) is off the counts already.
    const counted = !this.hidden.has(task.videoId);
    if (matchesFilter(task, this.filter)) {
      this.put(task, previous);
      if (!previous && counted) this.total += 1;
    } else if (previous) {
      this.drop(previous);
      if (counted) this.total = Math.max(0, this.total - 1);
    }
    this.changed();
    return { previous, applied: true };
  }

  remove(videoId: string): void {
    if (this.deleted.has(videoId)) return;
    this.deleted.add(videoId);
    // A hidden task was already taken off the counts.
    const wasHidden = this.hidden.delete(videoId);
    const held = this.tasks.get(videoId);
    if (held) {
      this.drop(held);
      if (!wasHidden) this.total = Math.max(0, this.total - 1);
    }
    if (!wasHidden) this.unfiltered = Math.max(0, this.unfiltered - 1);
    this.changed();
  }

  /**
   * Replaces the view with a fresh first page (a new filter, or a resync after reconnect). What we
   * already hold newer than the page (a push that overtook the reply) is kept, and so is a task
   * changed after `asOf` (the reply's server time) that the page could not yet contain.
   */
  replacePage(page: TaskPageReply, asOf = 0): void {
    const old = new Map(this.tasks);
    this.tasks.clear();
    this.addTasks(page.tasks, old);
    for (const t of old.values()) {
      if (!this.tasks.has(t.videoId) && Date.parse(t.updatedAt) > asOf && matchesFilter(t, this.filter)) this.tasks.set(t.videoId, t);
    }
    this.resort();
    this.takeCounts(page);
    this.changed();
  }

  /** Appends the next page of an infinite scroll. */
  appendPage(page: TaskPageReply): void {
    this.addTasks(page.tasks, this.tasks);
    this.resort();
    this.takeCounts(page);
    this.changed();
  }

  private takeCounts(page: TaskPageReply): void {
    this.nextCursor = page.nextCursor;
    let hiddenHere = 0;
    for (const id of this.hidden) if (this.tasks.has(id)) hiddenHere++;
    this.total = Math.max(0, page.total - hiddenHere);
    this.unfiltered = Math.max(0, (page.unfiltered ?? page.total) - this.hidden.size);
  }

  setFilter(filter: TaskFilter): void {
    this.filter = filter;
    this.changed();
  }

  /** The core's counts; the "of N" follows them, since they count every task. */
  setStats(stats: TaskStats): void {
    this.stats = stats;
    this.unfiltered = Math.max(0, stats.total - this.hidden.size);
    this.changed();
  }

  /** The counts by status as the user should see them: tasks waiting to be deleted already gone. */
  shownStats(): TaskStats | null {
    if (!this.stats || this.hidden.size === 0) return this.stats;
    const byStatus = { ...this.stats.byStatus };
    for (const id of this.hidden) {
      const t = this.tasks.get(id);
      if (t && byStatus[t.status] !== undefined) byStatus[t.status] = Math.max(0, (byStatus[t.status] ?? 0) - 1);
    }
    return { total: Math.max(0, this.stats.total - this.hidden.size), byStatus };
  }

  private addTasks(tasks: TaskView[], known: Map<string, TaskView>): void {
    for (const t of tasks) {
      if (this.deleted.has(t.videoId)) continue;
      const mine = known.get(t.videoId);
      this.tasks.set(t.videoId, mine && !isNewer(t, mine) ? mine : t);
    }
  }

  /** Places `task` in the map and the order; a task whose createdAt did not change keeps its slot. */
  private put(task: TaskView, previous: TaskView | undefined): void {
    this.tasks.set(task.videoId, task);
    if (previous && previous.createdAt === task.createdAt) {
      this.order[positionOf(this.order, previous)] = task;
      return;
    }
    if (previous) this.order.splice(positionOf(this.order, previous), 1);
    this.order.splice(positionOf(this.order, task), 0, task);
  }

  private drop(held: TaskView): void {
    this.tasks.delete(held.videoId);
    this.order.splice(positionOf(this.order, held), 1);
  }

  /** Whole pages arrive rarely (a filter, a resync, the next page): one sort is fine there. */
  private resort(): void {
    this.order.length = 0;
    for (const t of this.tasks.values()) this.order.push(t);
    this.order.sort(compareNewestFirst);
  }

  private changed(): void {
    this.snapshot = null;
    this.version += 1;
    for (const l of this.listeners) l();
  }
}
