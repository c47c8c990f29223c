// The app's state outside React: wires the backend client to the task map, providers, settings,
// toasts and banners. Plain TS so it is tested under Node against a real WebSocket server.
import type { RequestPayload, ServerEnvelope, ServerPayload } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { Settings, SettingsPatch } from '@shared/contract/settings';
import type { TaskStatus } from '@shared/contract/status';
import { ACTIVE_STATUSES } from '../contract-values';
import type { TaskView } from '@shared/contract/task';
import type { UpdateState } from '@shared/contract/update';
import { type BackendClient, type ConnectionState, RequestError } from '../backend/client';
import { ChangeNotifier, nextFrame, type NotifyScheduler } from './change-notifier';
import { compareNewestFirst, matchesFilter, type TaskFilter, TaskState } from './task-state';
import { UpdateStatus } from './update-status';

export type ToastLevel = 'success' | 'error' | 'warning' | 'info';
/** A toast names a dictionary key (translated by the UI) or carries the core's own words. */
export interface Toast {
  id: number;
  level: ToastLevel;
  key?: 'toast.completed' | 'toast.failed' | 'toast.copied' | 'toast.refreshedAll' | 'toast.downloadFailed';
  text?: string;
  /** Stays until dismissed: something the user has to act on. */
  sticky?: boolean;
}
export interface UnauthorizedBanner {
  providerId: string | null;
  message: string;
}

const PAGE_SIZE = 100;
const BATCH_SIZE = 100;
/** How many pages focusTask loads at most to reach an old task in order. */
const FOCUS_PAGE_LIMIT = 20;
const STATS_THROTTLE_MS = 1000;
const UNAUTHORIZED_CODES = new Set(['401', 'UPSTREAM_UNAUTHORIZED']);

/** A task the UI should bring into view and focus (the desktop shell asked, e.g. from a notification). */
export interface FocusRequest {
  videoId: string;
  seq: number;
}

export class AppModel {
  readonly tasks = new TaskState();
  providers: ProviderView[] = [];
  settings: Settings | null = null;
  connection: ConnectionState;
  toasts: Toast[] = [];
  unauthorized: UnauthorizedBanner | null = null;
  loadingPage = false;
  focusRequest: FocusRequest | null = null;
  /** The desktop self-updater (always 'unsupported' in browser mode). */
  readonly update: UpdateStatus;
  private focusSeq = 0;
  private readonly notifier: ChangeNotifier;
  private toastSeq = 0;
  private listSeq = 0;
  private statsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Last status seen per task, whatever the filter, so a completion out of view still toasts. */
  private readonly lastStatus = new Map<string, TaskStatus>();

  constructor(
    readonly client: BackendClient,
    private readonly toastMs = 6000,
    schedule: NotifyScheduler = nextFrame,
  ) {
    this.notifier = new ChangeNotifier(schedule);
    this.connection = client.connectionState;
    this.update = new UpdateStatus(client, () => this.changed());
    client.onState((s) => {
      this.connection = s;
      this.changed();
    });
    client.onMessage((msg) => this.onMessage(msg));
    client.onReady(() => void this.resync().catch(() => undefined));
    this.tasks.subscribe(() => this.changed());
  }

  subscribe(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Changes once per notification to React (per frame), however many changes that covers. */
  get version(): number {
    return this.notifier.version;
  }

  /** After every (re)connect: the first page of the current view, counts, providers, settings, updater. */
  async resync(): Promise<void> {
    await Promise.all([this.reloadTasks(), this.refreshStats(), this.loadProviders(), this.loadSettings(), this.update.refresh()]);
  }

  async setFilter(filter: TaskFilter): Promise<void> {
    this.tasks.setFilter(filter);
    await this.reloadTasks();
  }

  async reloadTasks(): Promise<void> {
    const seq = ++this.listSeq;
    this.loadingPage = true;
    try {
      const reply = await this.client.request('listTasks', this.listPayload(null), 'taskList');
      if (seq !== this.listSeq) return; // a newer filter won
      this.tasks.replacePage(reply.payload, reply.timestamp);
    } finally {
      if (seq === this.listSeq) this.loadingPage = false;
      this.changed();
    }
  }

  /** Infinite scroll: the next page after `nextCursor`, if any. */
  async loadMore(): Promise<void> {
    const cursor = this.tasks.nextCursor;
    if (!cursor || this.loadingPage) return;
    const seq = this.listSeq;
    this.loadingPage = true;
    try {
      const reply = await this.client.request('listTasks', this.listPayload(cursor), 'taskList');
      if (seq === this.listSeq) this.tasks.appendPage(reply.payload);
    } finally {
      this.loadingPage = false;
      this.changed();
    }
  }

  async refreshStats(): Promise<void> {
    const reply = await this.client.request('getStats', {}, 'stats');
    this.tasks.setStats(reply.payload);
  }

  async loadProviders(): Promise<void> {
    const reply = await this.client.request('listProviders', {}, 'providers');
    this.providers = reply.payload.providers;
    this.changed();
  }

  async loadSettings(): Promise<void> {
    const reply = await this.client.request('getSettings', {}, 'settings');
    this.settings = reply.payload.settings;
    this.changed();
  }

  async updateSettings(patch: SettingsPatch): Promise<void> {
    const reply = await this.client.request('updateSettings', patch, 'settings');
    this.settings = reply.payload.settings;
    this.changed();
  }

  async saveProvider(payload: RequestPayload<'saveProvider'>): Promise<ProviderView> {
    const reply = await this.client.request('saveProvider', payload, 'providerSaved');
    await Promise.all([this.loadProviders(), this.loadSettings()]);
    return reply.payload.provider;
  }

  async deleteProvider(id: string): Promise<void> {
    await this.client.request('deleteProvider', { id }, 'providerDeleted');
    await Promise.all([this.loadProviders(), this.loadSettings()]);
  }

  async testProvider(id: string): Promise<ServerPayload<'providerTested'>> {
    return (await this.client.request('testProvider', { id }, 'providerTested')).payload;
  }

  async createTask(payload: RequestPayload<'createTask'> | Record<string, unknown>): Promise<TaskView> {
    return (await this.client.request('createTask', payload, 'taskCreated')).payload.task;
  }

  async trackTask(payload: RequestPayload<'trackTask'>): Promise<TaskView> {
    return (await this.client.request('trackTask', payload, 'taskCreated')).payload.task;
  }

  async requestStatus(videoId: string): Promise<void> {
    await this.client.request('requestTaskStatus', { videoId }, 'taskUpdated');
  }

  async cancel(videoId: string): Promise<void> {
    await this.client.request('cancelTask', { videoId }, 'taskUpdated');
  }

  async retry(videoId: string): Promise<TaskView> {
    return (await this.client.request('retryTask', { videoId }, 'taskCreated')).payload.task;
  }

  async remix(videoId: string, prompt: string): Promise<TaskView> {
    return (await this.client.request('remixTask', { videoId, prompt }, 'taskCreated')).payload.task;
  }

  async remove(videoId: string): Promise<void> {
    await this.client.request('deleteTask', { videoId }, 'taskDeleted');
    this.tasks.remove(videoId);
  }

  /** Asks the upstream about every active task, in batches the contract allows. Returns how many. */
  async refreshAll(): Promise<number> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: ServerEnvelope<'taskList', ServerPayload<'taskList'>> = await this.client.request(
        'listTasks', { status: [...ACTIVE_STATUSES], limit: 500, cursor }, 'taskList');
      ids.push(...reply.payload.tasks.map((t) => t.videoId));
      cursor = reply.payload.nextCursor;
    } while (cursor);
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      await this.client.request('requestMultipleTaskStatus', { videoIds: ids.slice(i, i + BATCH_SIZE) }, 'taskStatusBatchDone');
    }
    this.toast('info', { key: 'toast.refreshedAll' });
    return ids.length;
  }

  toast(level: ToastLevel, body: { key?: Toast['key']; text?: string; sticky?: boolean }): void {
    const t: Toast = { id: ++this.toastSeq, level, ...body };
    this.toasts = [...this.toasts, t].slice(-5);
    this.changed();
    if (this.toastMs > 0 && !t.sticky) setTimeout(() => this.dismissToast(t.id), this.toastMs);
  }

  /** Shows a failed action's reason to the user. */
  reportError(err: unknown): void {
    const text = err instanceof RequestError || err instanceof Error ? err.message : String(err);
    this.toast('error', { text });
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
    this.changed();
  }

  dismissUnauthorized(): void {
    this.unauthorized = null;
    this.changed();
  }

  private listPayload(cursor: string | null): Record<string, unknown> {
    const f = this.tasks.filter;
    return { limit: PAGE_SIZE, cursor, ...(f.status ? { status: f.status } : {}), ...(f.search.trim() ? { search: f.search.trim() } : {}) };
  }

  private onMessage(msg: ServerEnvelope): void {
    const isPush = msg.id === undefined;
    switch (msg.type) {
      case 'taskUpdated':
        this.mergeTask(msg.payload as TaskView, isPush);
        break;
      case 'taskCreated':
        this.mergeTask((msg.payload as ServerPayload<'taskCreated'>).task, isPush);
        break;
      case 'taskDeleted':
        this.tasks.remove((msg.payload as ServerPayload<'taskDeleted'>).videoId);
        this.scheduleStats();
        break;
      case 'updateState':
        this.update.apply(msg.payload as UpdateState);
        break;
      case 'focusTask':
        void this.focusTask((msg.payload as ServerPayload<'focusTask'>).videoId).catch((e: unknown) => this.reportError(e));
        break;
      case 'notice': {
        const n = msg.payload as ServerPayload<'notice'>;
        if (n.code === 'UPSTREAM_UNAUTHORIZED') this.showUnauthorized(n.providerId ?? null, n.message);
        // A video the library could not keep: say so in the user's language, with the core's
        // reason; a full disk or an unwritable folder needs the user, so it stays until dismissed.
        else if (n.code === 'DOWNLOAD_FAILED') this.toast(n.level, { key: 'toast.downloadFailed', text: n.message, sticky: n.level === 'error' });
        else this.toast(n.level, { text: n.message, sticky: n.level === 'error' });
        break;
      }
    }
  }

  /**
   * Brings one task into the Tasks view: a filter that hides it is cleared, a task not loaded yet
   * (beyond the pages we hold) is fetched with getTask; then the UI scrolls to it and focuses it.
   */
  async focusTask(videoId: string): Promise<void> {
    const seq = ++this.focusSeq;
    const f = this.tasks.filter;
    let task = this.tasks.get(videoId);
    if (!task) {
      const reply = await this.client.request('getTask', { videoId }, 'taskUpdated');
      task = reply.payload as TaskView;
      if (!matchesFilter(task, f)) await this.setFilter({ status: null, search: '' });
      // Page down to it, so it sits among its neighbours rather than alone after a gap (bounded:
      // a very old task is placed at the end of what is loaded).
      for (let page = 0; page < FOCUS_PAGE_LIMIT && this.olderThanLoaded(task) && this.tasks.nextCursor; page++) await this.loadMore();
      this.mergeTask(task, false);
    }
    if (seq !== this.focusSeq) return; // a later request won while we were fetching
    this.focusRequest = { videoId, seq };
    this.changed();
  }

  private olderThanLoaded(task: TaskView): boolean {
    // The getTask reply itself was merged already (every reply is): look past it.
    const loaded = this.tasks.list();
    let i = loaded.length - 1;
    if (loaded[i]?.videoId === task.videoId) i -= 1;
    return i < 0 || compareNewestFirst(task, loaded[i]) > 0;
  }

  /** The UI has shown the task: the request is done (switching views later does not repeat it). */
  focusShown(seq: number): void {
    if (this.focusRequest?.seq === seq) this.focusRequest = null;
  }

  private mergeTask(task: TaskView, isPush: boolean): void {
    const before = this.lastStatus.get(task.videoId);
    const { applied } = this.tasks.merge(task);
    if (!applied) return;
    this.lastStatus.set(task.videoId, task.status);
    this.scheduleStats();
    if (!isPush || before === task.status) return;
    if (task.status === 'COMPLETED') this.toast('success', { key: 'toast.completed' });
    if (task.status === 'FAILED') {
      this.toast('error', { key: 'toast.failed', text: task.error ?? undefined });
      if (task.errorCode && UNAUTHORIZED_CODES.has(task.errorCode)) this.showUnauthorized(task.providerId, task.error ?? '');
    }
  }

  private showUnauthorized(providerId: string | null, message: string): void {
    this.unauthorized = { providerId, message };
    this.changed();
  }

  /** Counts follow pushes, but at most once a second however busy the queue is. */
  private scheduleStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = null;
      void this.refreshStats().catch(() => undefined);
    }, STATS_THROTTLE_MS);
  }

  private changed(): void {
    this.notifier.changed();
  }
}
