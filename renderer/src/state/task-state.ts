// The client's task map, keyed by videoId. Replies and pushes may arrive in any order; the merge
// rule keeps the newest: an older updatedAt never overwrites a newer one. The newest-first order is
// kept up to date in place (binary search), so a push costs O(log n) to place, not a full re-sort.
import type { TaskStats, TaskView } from '@shared/contract/task';
import { STATUS_RANK as RANK, type TaskStatus } from '@shared/contract/values';

export interface TaskFilter {
  status: TaskStatus | null;
  search: string;
}

/** Is `incoming` at least as new as `current`? Equal times fall back to status and progress. */
export function isNewer(incoming: TaskView, current: TaskView): boolean {
  const a = Date.parse(incoming.updatedAt);
  const b = Date.parse(current.updatedAt);
  if (a !== b) return a > b;
  if (RANK[incoming.status] !== RANK[current.status]) return RANK[incoming.status] > RANK[current.status];
  return incoming.progress >= current.progress;
}

export function matchesFilter(task: TaskView, filter: TaskFilter): boolean {
  if (filter.status && task.status !== filter.status) return false;
  const q = filter.search.trim().toLowerCase();
  if (q && !task.prompt.toLowerCase().includes(q) && !task.videoId.toLowerCase().includes(q) && !(task.externalId ?? '').toLowerCase().includes(q)) return false;
  return true;
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
  /** Every task in `tasks`, newest first, edited in place on each change. */
  private readonly order: TaskView[] = [];
  /** A frozen copy of `order` handed to React; rebuilt at most once per render, not per push. */
  private snapshot: TaskView[] | null = null;
  private readonly listeners = new Set<() => void>();
  filter: TaskFilter = { status: null, search: '' };
  nextCursor: string | null = null;
  total = 0;
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
    if (!this.snapshot) this.snapshot = this.order.slice();
    return this.snapshot;
  }

  /** Merges one task from a push or a reply. Tasks outside the current filter are dropped from view. */
  merge(task: TaskView): MergeResult {
    if (this.deleted.has(task.videoId)) return { previous: undefined, applied: false };
    const previous = this.tasks.get(task.videoId);
    if (previous && !isNewer(task, previous)) return { previous, applied: false };
    if (matchesFilter(task, this.filter)) {
      this.put(task, previous);
      if (!previous) this.total += 1;
    } else if (previous) {
      this.drop(previous);
      this.total = Math.max(0, this.total - 1);
    }
    this.changed();
    return { previous, applied: true };
  }

  remove(videoId: string): void {
    this.deleted.add(videoId);
    const held = this.tasks.get(videoId);
    if (held) {
      this.drop(held);
      this.total = Math.max(0, this.total - 1);
    }
    this.changed();
  }

  /**
   * Replaces the view with a fresh first page (a new filter, or a resync after reconnect). What we
   * already hold newer than the page (a push that overtook the reply) is kept, and so is a task
   * changed after `asOf` (the reply's server time) that the page could not yet contain.
   */
  replacePage(page: { tasks: TaskView[]; nextCursor: string | null; total: number }, asOf = 0): void {
    const old = new Map(this.tasks);
    this.tasks.clear();
    this.addTasks(page.tasks, old);
    for (const t of old.values()) {
      if (!this.tasks.has(t.videoId) && Date.parse(t.updatedAt) > asOf && matchesFilter(t, this.filter)) this.tasks.set(t.videoId, t);
    }
    this.resort();
    this.nextCursor = page.nextCursor;
    this.total = page.total;
    this.changed();
  }

  /** Appends the next page of an infinite scroll. */
  appendPage(page: { tasks: TaskView[]; nextCursor: string | null; total: number }): void {
    this.addTasks(page.tasks, this.tasks);
    this.resort();
    this.nextCursor = page.nextCursor;
    this.total = page.total;
    this.changed();
  }

  setFilter(filter: TaskFilter): void {
    this.filter = filter;
    this.changed();
  }

  setStats(stats: TaskStats): void {
    this.stats = stats;
    this.changed();
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
