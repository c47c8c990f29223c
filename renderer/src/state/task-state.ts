// The client's task map, keyed by videoId. Replies and pushes may arrive in any order; the merge
// rule keeps the newest: an older updatedAt never overwrites a newer one.
import type { TaskStatus } from '../../../shared/contract/status';
import type { TaskStats, TaskView } from '../../../shared/contract/task';

export interface TaskFilter {
  status: TaskStatus | null;
  search: string;
}

const RANK: Record<TaskStatus, number> = { PENDING: 0, QUEUED: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 3, CANCELLED: 3 };

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
function compareNewestFirst(a: TaskView, b: TaskView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.videoId < b.videoId ? 1 : a.videoId > b.videoId ? -1 : 0;
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
  private sorted: TaskView[] | null = null;
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
    if (!this.sorted) this.sorted = [...this.tasks.values()].sort(compareNewestFirst);
    return this.sorted;
  }

  /** Merges one task from a push or a reply. Tasks outside the current filter are dropped from view. */
  merge(task: TaskView): MergeResult {
    if (this.deleted.has(task.videoId)) return { previous: undefined, applied: false };
    const previous = this.tasks.get(task.videoId);
    if (previous && !isNewer(task, previous)) return { previous, applied: false };
    if (matchesFilter(task, this.filter)) {
      this.tasks.set(task.videoId, task);
      if (!previous) this.total += 1;
    } else if (previous) {
      this.tasks.delete(task.videoId);
      this.total = Math.max(0, this.total - 1);
    }
    this.changed();
    return { previous, applied: true };
  }

  remove(videoId: string): void {
    this.deleted.add(videoId);
    if (this.tasks.delete(videoId)) this.total = Math.max(0, this.total - 1);
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
    this.nextCursor = page.nextCursor;
    this.total = page.total;
    this.changed();
  }

  /** Appends the next page of an infinite scroll. */
  appendPage(page: { tasks: TaskView[]; nextCursor: string | null; total: number }): void {
    this.addTasks(page.tasks, this.tasks);
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

  private changed(): void {
    this.sorted = null;
    this.version += 1;
    for (const l of this.listeners) l();
  }
}
