// The Tasks view's model: the tasks in view (paging, filter, counts), the task commands, and
// bringing one task into view when the shell asks (focus). Completions and failures are toasted.
import type { ContractClient } from '@shared/client/contract-client';
import type { RequestInput } from '@shared/contract/messages';
import type { ReplyEnvelope } from '@shared/contract/routes';
import type { TaskView } from '@shared/contract/task';
import { ACTIVE_STATUSES, MAX_BATCH_VIDEO_IDS, MAX_LIST_LIMIT, type TaskStatus } from '@shared/contract/values';
import { type FirstPage, sameQuery } from '../backend/early-link';
import type { NoticesModel } from './notices-model';
import { PendingDeletes, UNDO_MS } from './task-deletions';
import { compareNewestFirst, filterBounds, matchesFilter, type TaskFilter, TaskState } from './task-state';
import { TaskWatch } from './task-watch';

const PAGE_SIZE = 100;
/** How many pages focusTask loads at most to reach an old task in order. */
const FOCUS_PAGE_LIMIT = 20;
const STATS_THROTTLE_MS = 1000;
/** The most a sort over every loaded task pages in (10,000 finished videos is a large library). */
const LOAD_ALL_LIMIT = 10_000;
const UNAUTHORIZED_CODES = new Set(['401', 'UPSTREAM_UNAUTHORIZED']);

/** A task the UI should bring into view and focus (the desktop shell asked, e.g. from a notification). */
export interface FocusRequest {
  videoId: string;
  seq: number;
}

/** A task that finished while the page was open (pushed, not loaded): for notifications. */
export type FinishedListener = (task: TaskView) => void;

export class TasksModel {
  /** The tasks in view, newest first, with the filter, total and counts. */
  readonly view = new TaskState();
  loadingPage = false;
  focusRequest: FocusRequest | null = null;
  private focusSeq = 0;
  private listSeq = 0;
  private statsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Last status seen per task, whatever the filter, so a completion out of view still toasts. */
  private readonly lastStatus = new Map<string, TaskStatus>();
  private readonly finishedListeners = new Set<FinishedListener>();
  /** Deletes waiting out their undo window. */
  readonly deletes: PendingDeletes;
  /** The active tasks on screen, watched so the core looks at them sooner. */
  readonly watch: TaskWatch;

  constructor(
    private readonly client: ContractClient,
    private readonly notices: NoticesModel,
    private readonly changed: () => void,
    undoMs = UNDO_MS,
    /** Asked for before the app loaded; the first reload takes it when it is for the same view. */
    private firstPage: Promise<FirstPage | null> | null = null,
  ) {
    this.view.subscribe(changed);
    this.deletes = new PendingDeletes(client, this.view, notices, undoMs);
    this.watch = new TaskWatch(client);
  }

  /** After every (re)connect: the first page of the current view, the counts, the watched tasks. */
  async resync(): Promise<void> {
    this.watch.rejoin();
    await Promise.all([this.reloadTasks(), this.refreshStats()]);
  }

  onFinished(listener: FinishedListener): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  async setFilter(filter: TaskFilter): Promise<void> {
    this.view.setFilter(filter);
    await this.reloadTasks();
  }

  async reloadTasks(): Promise<void> {
    const seq = ++this.listSeq;
    this.loadingPage = true;
    try {
      const reply = (await this.takeFirstPage()) ?? (await this.client.requestEnvelope('listTasks', this.listPayload(null)));
      if (seq !== this.listSeq) return; // a newer filter won
      this.view.replacePage(reply.payload, reply.timestamp);
    } finally {
      if (seq === this.listSeq) this.loadingPage = false;
      this.changed();
    }
  }

  /** Infinite scroll: the next page after `nextCursor`, if any. */
  async loadMore(): Promise<void> {
    const cursor = this.view.nextCursor;
    if (!cursor || this.loadingPage) return;
    const seq = this.listSeq;
    this.loadingPage = true;
    try {
      const page = await this.client.request('listTasks', this.listPayload(cursor));
      if (seq === this.listSeq) this.view.appendPage(page);
    } finally {
      this.loadingPage = false;
      this.changed();
    }
  }

  /**
   * Pages in everything the filter matches, up to `max` tasks (a sort by duration or cost needs them
   * all; the newest-first order does not). Returns whether everything is loaded.
   */
  async loadAll(max = LOAD_ALL_LIMIT): Promise<boolean> {
    const seq = this.listSeq;
    while (this.view.nextCursor && this.view.list().length < max && seq === this.listSeq) {
      // A page already on its way (the scroll asked for it) is waited for, not asked again.
      if (this.loadingPage) await new Promise((r) => setTimeout(r, 50));
      else await this.loadMore();
    }
    return this.view.nextCursor === null;
  }

  async refreshStats(): Promise<void> {
    this.view.setStats(await this.client.request('getStats'));
  }

  async createTask(payload: RequestInput<'createTask'>): Promise<TaskView> {
    return (await this.client.request('createTask', payload)).task;
  }

  async trackTask(payload: RequestInput<'trackTask'>): Promise<TaskView> {
    return (await this.client.request('trackTask', payload)).task;
  }

  async requestStatus(videoId: string): Promise<void> {
    await this.client.request('requestTaskStatus', { videoId });
  }

  async cancel(videoId: string): Promise<void> {
    await this.client.request('cancelTask', { videoId });
  }

  async retry(videoId: string): Promise<TaskView> {
    return (await this.client.request('retryTask', { videoId })).task;
  }

  async remix(videoId: string, prompt: string): Promise<TaskView> {
    return (await this.client.request('remixTask', { videoId, prompt })).task;
  }

  /** Deletes at once (no undo). */
  async remove(videoId: string, deleteFile = false): Promise<void> {
    await this.client.request('deleteTask', deleteFile ? { videoId, deleteFile } : { videoId });
    this.view.remove(videoId);
  }

  /** Deletes with a few seconds to undo (task-deletions.ts says how). */
  removeMany(videoIds: readonly string[], deleteFile = false): void {
    this.deletes.start(videoIds, deleteFile);
  }

  /** Retries the failed and cancelled ones among `videoIds`; returns how many were sent again. */
  async retryMany(videoIds: readonly string[]): Promise<number> {
    const again = videoIds.map((id) => this.view.get(id)).filter((t): t is TaskView => t !== undefined && (t.status === 'FAILED' || t.status === 'CANCELLED'));
    const results = await Promise.allSettled(again.map((t) => this.retry(t.videoId)));
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused) this.notices.reportError(refused.reason);
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  /** Asks the upstream about every active task, in batches the contract allows. Returns how many. */
  async refreshAll(): Promise<number> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { tasks: TaskView[]; nextCursor: string | null } =
        await this.client.request('listTasks', { status: [...ACTIVE_STATUSES], limit: MAX_LIST_LIMIT, cursor });
      ids.push(...page.tasks.map((t) => t.videoId));
      cursor = page.nextCursor;
    } while (cursor);
    for (let i = 0; i < ids.length; i += MAX_BATCH_VIDEO_IDS) {
      await this.client.request('requestMultipleTaskStatus', { videoIds: ids.slice(i, i + MAX_BATCH_VIDEO_IDS) });
    }
    this.notices.toast('info', { key: 'toast.refreshedAll' });
    return ids.length;
  }

  /**
   * Brings one task into the Tasks view: a filter that hides it is cleared, a task not loaded yet
   * (beyond the pages we hold) is fetched with getTask; then the UI scrolls to it and focuses it.
   */
  async focusTask(videoId: string): Promise<void> {
    const seq = ++this.focusSeq;
    let task = this.view.get(videoId);
    if (!task) {
      task = await this.client.request('getTask', { videoId });
      if (!matchesFilter(task, this.view.filter)) await this.setFilter({ status: null, search: '' });
      // Page down to it, so it sits among its neighbours rather than alone after a gap (bounded:
      // a very old task is placed at the end of what is loaded).
      for (let page = 0; page < FOCUS_PAGE_LIMIT && this.olderThanLoaded(task) && this.view.nextCursor; page++) await this.loadMore();
      this.merge(task, false);
    }
    if (seq !== this.focusSeq) return; // a later request won while we were fetching
    this.focusRequest = { videoId, seq };
    this.changed();
  }

  /** The UI has shown the task: the request is done (switching views later does not repeat it). */
  focusShown(seq: number): void {
    if (this.focusRequest?.seq === seq) this.focusRequest = null;
  }

  /** A task from a reply or a push; a push that finishes a task is toasted, naming it. */
  merge(task: TaskView, isPush: boolean): void {
    const before = this.lastStatus.get(task.videoId);
    const { applied } = this.view.merge(task);
    if (!applied) return;
    this.lastStatus.set(task.videoId, task.status);
    this.scheduleStats();
    if (!isPush || before === task.status) return;
    const about = { videoId: task.videoId, subject: task.prompt };
    if (task.status === 'COMPLETED') this.notices.toast('success', { key: 'toast.completed', ...about });
    if (task.status === 'FAILED') {
      this.notices.toast('error', { key: 'toast.failed', text: task.error ?? undefined, ...about });
      if (task.errorCode && UNAUTHORIZED_CODES.has(task.errorCode)) this.notices.showUnauthorized(task.providerId, task.error ?? '');
    }
    if (task.status === 'COMPLETED' || task.status === 'FAILED') for (const l of this.finishedListeners) l(task);
  }

  /** Someone deleted a task (here or elsewhere). */
  deleted(videoId: string): void {
    this.view.remove(videoId);
    this.scheduleStats();
  }

  /** The boot module's first page, once, if it answers what this view would ask now. */
  private async takeFirstPage(): Promise<ReplyEnvelope<'listTasks'> | null> {
    const first = this.firstPage;
    this.firstPage = null;
    const page = first ? await first : null;
    return page && sameQuery(page.request, this.listPayload(null)) ? page.reply : null;
  }

  private listPayload(cursor: string | null): RequestInput<'listTasks'> {
    const f = this.view.filter;
    const search = f.search.trim();
    const { from, to } = filterBounds(f);
    return {
      limit: PAGE_SIZE, cursor, ...(f.status ? { status: f.status } : {}), ...(search ? { search } : {}),
      ...(from ? { from } : {}), ...(to ? { to } : {}),
    };
  }

  private olderThanLoaded(task: TaskView): boolean {
    // The getTask reply itself was merged already (every reply is): look past it.
    const loaded = this.view.list();
    let i = loaded.length - 1;
    if (loaded[i]?.videoId === task.videoId) i -= 1;
    return i < 0 || compareNewestFirst(task, loaded[i]) > 0;
  }

  /** Counts follow pushes, but at most once a second however busy the queue is. */
  private scheduleStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = null;
      void this.refreshStats().catch(() => undefined);
    }, STATS_THROTTLE_MS);
  }
}
