// The task service: every task rule of the contract. Doors call it through handlers.ts; the poller
// drives it by time. It stores first and announces after (a client never sees what is not durable).
import { randomUUID } from 'node:crypto';
import { AppError, TASK_ERROR_CODES } from '@shared/contract/errors';
import type { CreateTaskPayload } from '@shared/contract/messages';
import { isTerminal } from '@shared/contract/status';
import type { TaskView } from '@shared/contract/task';
import { createProviderClient } from '../providers/create-provider-client';
import { UpstreamError, type ProviderClient, type ProviderConnection } from '../providers/provider-client';
import { createProviderGate, gatedClient, higherPriority, INTERACTIVE_MAX_WAIT_MS, providerLimits, type GatePriority } from './provider-gate';
import { toView, type TaskRecord } from './record';
import { applyUpstreamJob, failTask, NOT_FOUND_LIMIT, recordChanged, stamp, viewChanged } from './service-apply';
import type { StepOutcome, TaskService, TaskServiceDeps } from './service-types';
import { createSubmitter } from './submit';

/** At most one "key rejected" notice per provider in this span, however often polls fail. */
const UNAUTHORIZED_NOTICE_EVERY_MS = 5 * 60_000;

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { store, providers, settings, hub, clock, logger } = deps;
  const clientFor = deps.clientFor ?? ((conn: ProviderConnection) => createProviderClient(conn, { logger, clock }));
  const newId = deps.newId ?? (() => `vid_${randomUUID().replace(/-/g, '')}`);
  const listeners = new Set<(videoId: string, rec: TaskRecord | undefined) => void>();
  const background = new Set<Promise<unknown>>();
  /** The poll in flight per task; `priority` is read by the gate while it waits, so a joiner can raise it. */
  const polls = new Map<string, { promise: Promise<StepOutcome>; priority: GatePriority; started: boolean }>();
  const gate = deps.gate ?? createProviderGate({ clock, limits: providerLimits(providers) });
  const lastUnauthorizedNotice = new Map<string, number>();

  const nowIso = () => new Date(clock.now()).toISOString();
  const emit = (videoId: string, rec: TaskRecord | undefined) => {
    for (const l of listeners) {
      try {
        l(videoId, rec);
      } catch (err) {
        logger.error('record listener failed', { err: err as Error });
      }
    }
  };

  async function update(videoId: string, change: (r: TaskRecord) => TaskRecord | null): Promise<TaskRecord | undefined> {
    const cur = store.get(videoId);
    if (!cur) return undefined;
    const next = change(cur);
    if (!next || !recordChanged(cur, next)) return cur;
    await store.put(next);
    emit(videoId, next);
    if (viewChanged(cur, next)) hub.publishTask(next.userId, toView(next));
    return next;
  }

  async function insert(rec: TaskRecord): Promise<TaskView> {
    try {
      await store.put(rec);
    } catch (err) {
      // Not durable, so not created: take it back out, or a later batch would store (and the poller send)
      // a task its creator was told had failed, and a second attempt would pay twice.
      await store.delete(rec.videoId).catch(() => undefined);
      const why = err instanceof Error ? err.message : String(err);
      throw new AppError('INTERNAL', `The task was not created and nothing was sent to the provider: ${why}`);
    }
    emit(rec.videoId, rec);
    return toView(rec);
  }

  /** The bare client: its every API call here is wrapped in gate.run. */
  async function connect(providerId: string): Promise<{ client: ProviderClient; conn: ProviderConnection }> {
    const conn = await providers.connection(providerId);
    return { client: clientFor(conn), conn };
  }

  async function clientForProvider(providerId: string, priority: GatePriority = 'interactive') {
    const { client, conn } = await connect(providerId);
    const patience = priority === 'interactive' ? { maxWaitMs: INTERACTIVE_MAX_WAIT_MS } : {};
    return { client: gatedClient(client, gate, providerId, priority, patience), conn };
  }

  const submitter = createSubmitter({
    store, clock, logger, hub, connect, gate, update,
    reconcile: { pageSize: deps.reconcile?.pageSize ?? 100, pages: deps.reconcile?.pages ?? 3, windowMs: deps.reconcile?.windowMs ?? 10 * 60_000 },
  });

  /** Runs after the current reply has gone out; tracked so idle() can wait for it. */
  function later(fn: () => Promise<unknown>): void {
    const p = new Promise<void>((resolve) => setImmediate(resolve)).then(fn).catch((err) => logger.error('background step failed', { err }));
    background.add(p);
    void p.finally(() => background.delete(p));
  }

  function announceAndSubmit(view: TaskView, userId: string): void {
    later(async () => {
      hub.publishTask(userId, view);
      // The reply is out; the creation now waits in the gate as long as the provider's caps require.
      await submitter.submit(view.videoId, 'interactive');
    });
  }

  function requireTask(videoId: string): TaskRecord {
    const rec = store.get(videoId);
    if (!rec) throw new AppError('NOT_FOUND', `No task with videoId "${videoId}"`, videoId);
    return rec;
  }

  function requireProvider(providerId: string) {
    const provider = providers.get(providerId);
    if (!provider) throw new AppError('NOT_FOUND', `No provider with id "${providerId}"`);
    return provider;
  }

  function newRecord(userId: string, fields: Partial<TaskRecord> & Pick<TaskRecord, 'providerId' | 'prompt'>): TaskRecord {
    const now = nowIso();
    return {
      videoId: newId(), externalId: null, status: 'PENDING', progress: 0, model: null, seconds: null, size: null,
      videoUrl: null, localPath: null, thumbnailUrl: null, error: null, errorCode: null, createdAt: now, updatedAt: now,
      completedAt: null, expiresAt: null, remixOf: null, submitState: 'unsent', submitStartedAt: null,
      inputReference: null, notFoundCount: 0, faultCount: 0, userId, ...fields,
    };
  }

  function noticeUnauthorized(providerId: string, message: string): void {
    const last = lastUnauthorizedNotice.get(providerId);
    if (last != null && clock.now() - last < UNAUTHORIZED_NOTICE_EVERY_MS) return;
    lastUnauthorizedNotice.set(providerId, clock.now());
    hub.broadcast('notice', { level: 'error', code: 'UPSTREAM_UNAUTHORIZED', providerId, message });
  }

  async function pollOnce(videoId: string, shared: { priority: GatePriority; started: boolean }, maxWaitMs?: number): Promise<StepOutcome> {
    const rec = store.get(videoId);
    if (!rec || (rec.status !== 'QUEUED' && rec.status !== 'PROCESSING') || !rec.externalId) return { fault: null, retryAfterMs: null };
    const now = clock.now();
    if (now - Date.parse(rec.createdAt) > settings.get().trackingTimeoutMs) {
      await update(videoId, (r) => failTask(r, TASK_ERROR_CODES.TRACKING_TIMEOUT, 'Tracking gave up: the job did not finish within the tracking time limit', now));
      return { fault: null, retryAfterMs: null };
    }
    let client: ProviderClient, conn: ProviderConnection;
    try {
      ({ client, conn } = await connect(rec.providerId));
    } catch (err) {
      return { fault: err as Error, retryAfterMs: null };
    }
    const externalId = rec.externalId;
    try {
      const job = await gate.run(rec.providerId, () => shared.priority, async () => {
        shared.started = true;
        // It may have waited: a task cancelled or finished meanwhile is not asked about.
        const cur = store.get(videoId);
        return cur && (cur.status === 'QUEUED' || cur.status === 'PROCESSING') && cur.externalId === externalId ? client.retrieve(externalId) : null;
      }, { maxWaitMs });
      if (!job) return { fault: null, retryAfterMs: null };
      const ctx = { now: clock.now(), dialect: conn.dialect, baseUrl: conn.baseUrl };
      await update(videoId, (r) => applyUpstreamJob(r, job, ctx));
      return { fault: null, retryAfterMs: job.pollAfterMs };
    } catch (err) {
      if (err instanceof UpstreamError && err.code === 'NOT_FOUND' && !err.transient) {
        const after = await update(videoId, (r) => {
          const counted = { ...r, notFoundCount: r.notFoundCount + 1 };
          return counted.notFoundCount >= NOT_FOUND_LIMIT
            ? failTask(counted, TASK_ERROR_CODES.UPSTREAM_NOT_FOUND, `The upstream no longer knows this job (${NOT_FOUND_LIMIT} "not found" answers in a row)`, clock.now())
            : counted;
        });
        // The 404 that settles it is our verdict, not a fault: the asker gets the FAILED task.
        if (after?.status === 'FAILED') return { fault: null, retryAfterMs: null };
      } else if (err instanceof UpstreamError && err.code === 'UPSTREAM_UNAUTHORIZED') {
        noticeUnauthorized(rec.providerId, err.message);
      }
      logger.warn('poll failed; the task keeps its state', { videoId, code: (err as UpstreamError).code, httpStatus: (err as UpstreamError).httpStatus });
      return { fault: err as Error, retryAfterMs: err instanceof UpstreamError ? err.retryAfterMs ?? null : null };
    }
  }

  /**
   * One upstream call per task at a time, shared by every asker (clients and the poller). A joiner
   * raises the shared call's priority; one with little patience is refused RATE_LIMITED when the
   * call has not started and a new one at its priority would wait longer than it may.
   */
  function pollTask(videoId: string, priority: GatePriority = 'background', maxWaitMs?: number): Promise<StepOutcome> {
    const cur = polls.get(videoId);
    if (cur) {
      const providerId = store.get(videoId)?.providerId;
      const refused = !cur.started && maxWaitMs != null && providerId ? gate.refusal(providerId, priority, maxWaitMs) : null;
      if (refused) return Promise.resolve({ fault: refused, retryAfterMs: refused.retryAfterMs ?? null });
      cur.priority = higherPriority(cur.priority, priority);
      return cur.promise;
    }
    const shared = { priority, started: false, promise: Promise.resolve<StepOutcome>({ fault: null, retryAfterMs: null }) };
    shared.promise = pollOnce(videoId, shared, maxWaitMs).finally(() => polls.delete(videoId));
    polls.set(videoId, shared);
    return shared.promise;
  }

  function asAppError(err: Error, videoId: string): AppError {
    if (err instanceof AppError) return new AppError(err.code, err.message, videoId);
    if (err instanceof UpstreamError) return new AppError(err.code === 'NOT_FOUND' ? 'UPSTREAM_ERROR' : err.code, err.message, videoId);
    return new AppError('INTERNAL', 'internal error (see log)', videoId);
  }

  async function createFrom(userId: string, fields: Partial<TaskRecord> & Pick<TaskRecord, 'providerId' | 'prompt'>): Promise<TaskView> {
    const rec = newRecord(userId, fields);
    const view = await insert(rec);
    announceAndSubmit(view, userId);
    return view;
  }

  return {
    async createTask(userId: string, p: CreateTaskPayload) {
      const providerId = p.providerId ?? settings.get().defaultProviderId;
      requireProvider(providerId);
      return createFrom(userId, {
        providerId, prompt: p.prompt, model: p.model ?? null, seconds: p.seconds ?? null, size: p.size ?? null, inputReference: p.inputReference ?? null,
      });
    },

    async trackTask(userId, p) {
      requireProvider(p.providerId);
      const existing = store.active().find((t) => t.providerId === p.providerId && t.externalId === p.externalId);
      if (existing) throw new AppError('CONFLICT', `That job is already tracked as "${existing.videoId}"`, existing.videoId);
      const rec = newRecord(userId, { providerId: p.providerId, prompt: p.prompt ?? '', externalId: p.externalId, status: 'QUEUED', submitState: 'accepted' });
      const view = await insert(rec);
      later(async () => {
        hub.publishTask(userId, view);
        await pollTask(view.videoId, 'interactive');
      });
      return view;
    },

    getTask: (videoId) => toView(requireTask(videoId)),

    listTasks(q) {
      const page = store.list({ status: q.status, search: q.search, limit: q.limit, cursor: q.cursor ?? null });
      return { tasks: page.tasks.map(toView), nextCursor: page.nextCursor, total: page.total };
    },

    async refreshTask(videoId) {
      const rec = requireTask(videoId);
      if (rec.status !== 'QUEUED' && rec.status !== 'PROCESSING') return toView(rec);
      const outcome = await pollTask(videoId, 'interactive', INTERACTIVE_MAX_WAIT_MS);
      if (outcome.fault) throw asAppError(outcome.fault, videoId);
      // The fresh record, read after the update: never the one loaded before it.
      return toView(requireTask(videoId));
    },

    async cancelTask(videoId) {
      const rec = requireTask(videoId);
      if (rec.status === 'CANCELLED') return toView(rec);
      if (isTerminal(rec.status)) throw new AppError('CONFLICT', `The task is already ${rec.status} and cannot be cancelled`, videoId);
      // Cancellation is local: tracking stops; no DELETE is sent upstream (a started job is paid anyway).
      const next = await update(videoId, (r) =>
        isTerminal(r.status) ? null : stamp(r, { ...r, status: 'CANCELLED', completedAt: nowIso() }, clock.now()),
      );
      return toView(next ?? requireTask(videoId));
    },

    async deleteTask(videoId) {
      requireTask(videoId);
      await store.delete(videoId);
      emit(videoId, undefined);
      hub.broadcast('taskDeleted', { videoId });
    },

    async retryTask(userId, videoId) {
      const src = requireTask(videoId);
      if (!isTerminal(src.status)) throw new AppError('CONFLICT', 'The task is still active; cancel it before retrying', videoId);
      requireProvider(src.providerId);
      return createFrom(userId, {
        providerId: src.providerId, prompt: src.prompt, model: src.model, seconds: src.seconds, size: src.size,
        inputReference: src.inputReference, remixOf: src.remixOf,
      });
    },

    async remixTask(userId, videoId, prompt) {
      const src = requireTask(videoId);
      const provider = requireProvider(src.providerId);
      if (provider.dialect === 'sora') throw new AppError('BAD_REQUEST', 'remix is not supported by the sora dialect', videoId);
      if (src.status !== 'COMPLETED' || !src.externalId) throw new AppError('CONFLICT', 'Only a COMPLETED video can be remixed', videoId);
      return createFrom(userId, { providerId: src.providerId, prompt, model: src.model, seconds: src.seconds, size: src.size, remixOf: src.videoId });
    },

    getStats: () => store.stats(),
    pollTask,
    submitTask: (videoId, priority) => submitter.submit(videoId, priority),
    reconcileTask: (videoId, priority) => submitter.reconcile(videoId, priority),
    isSubmitting: (videoId) => submitter.isSubmitting(videoId),
    waitBeforeSending: (videoId) => submitter.waitBeforeSending(videoId),
    clientForProvider,
    onRecord(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async idle() {
      while (background.size) await Promise.allSettled([...background]);
    },
    close: () => gate.close(),
  };
}
