// Asking the upstream how an accepted task is doing: one status call per task at a time, shared by
// every asker (a client's requestTaskStatus and the poller's rounds), through the provider gate, with
// the answer applied by the status rules. The poller (poller.ts) decides when; this decides what.
import { TASK_ERROR_CODES } from '@shared/contract/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { UpstreamError, type ProviderClient, type ProviderConnection } from '../providers/provider-client';
import type { Hub } from '../server/door-types';
import { higherPriority, type GatePriority, type ProviderGate } from './provider-gate';
import { applyUpstreamJob, failTask, NOT_FOUND_LIMIT } from './service-apply';
import type { TaskRecord } from './record';
import type { TaskRecords } from './service-records';
import type { SettingsSource, StepOutcome } from './service-types';
import type { TaskStore } from './task-store';

/** At most one "key rejected" notice per provider in this span, however often polls fail. */
const UNAUTHORIZED_NOTICE_EVERY_MS = 5 * 60_000;

const NOTHING: StepOutcome = Object.freeze({ fault: null, retryAfterMs: null });

export interface TaskPollingDeps {
  store: TaskStore;
  settings: SettingsSource;
  hub: Hub;
  clock: Clock;
  logger: Logger;
  /** The bare client: its status call here is wrapped in gate.run. */
  connect(providerId: string): Promise<{ client: ProviderClient; conn: ProviderConnection }>;
  gate: ProviderGate;
  update: TaskRecords['update'];
  /** The typical duration of a task's model, for its ETA (progress-eta.ts). */
  typicalMs?(rec: TaskRecord): number | null;
}

export interface TaskPolling {
  /**
   * One poll of an accepted task, shared by every asker. A joiner raises the shared call's priority; one
   * with little patience (`maxWaitMs`) is refused RATE_LIMITED when the call has not started and a new
   * one at its priority would wait longer than it may.
   */
  pollTask(videoId: string, priority?: GatePriority, maxWaitMs?: number): Promise<StepOutcome>;
}

export function createTaskPolling(deps: TaskPollingDeps): TaskPolling {
  const { store, settings, hub, clock, logger, connect, gate, update } = deps;
  /** The poll in flight per task; `priority` is read by the gate while it waits, so a joiner can raise it. */
  const polls = new Map<string, { promise: Promise<StepOutcome>; priority: GatePriority; started: boolean }>();
  const lastUnauthorizedNotice = new Map<string, number>();

  function noticeUnauthorized(providerId: string, message: string): void {
    const last = lastUnauthorizedNotice.get(providerId);
    if (last != null && clock.now() - last < UNAUTHORIZED_NOTICE_EVERY_MS) return;
    lastUnauthorizedNotice.set(providerId, clock.now());
    hub.broadcast('notice', { level: 'error', code: 'UPSTREAM_UNAUTHORIZED', providerId, message });
  }

  async function pollOnce(videoId: string, shared: { priority: GatePriority; started: boolean }, maxWaitMs?: number): Promise<StepOutcome> {
    const rec = store.get(videoId);
    if (!rec || (rec.status !== 'QUEUED' && rec.status !== 'PROCESSING') || !rec.externalId) return NOTHING;
    const now = clock.now();
    // From when the job was sent: a task held here for a day (a slot, the budget) has not been tracked meanwhile.
    if (now - (rec.submitStartedAt ?? Date.parse(rec.createdAt)) > settings.get().trackingTimeoutMs) {
      await update(videoId, (r) => failTask(r, TASK_ERROR_CODES.TRACKING_TIMEOUT, 'Tracking gave up: the job did not finish within the tracking time limit', now));
      return NOTHING;
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
      if (!job) return NOTHING;
      const ctx = { now: clock.now(), dialect: conn.dialect, baseUrl: conn.baseUrl, typicalMs: deps.typicalMs?.(rec) ?? null };
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
        if (after?.status === 'FAILED') return NOTHING;
      } else if (err instanceof UpstreamError && err.code === 'UPSTREAM_UNAUTHORIZED') {
        noticeUnauthorized(rec.providerId, err.message);
      }
      logger.warn('poll failed; the task keeps its state', { videoId, code: (err as UpstreamError).code, httpStatus: (err as UpstreamError).httpStatus });
      return { fault: err as Error, retryAfterMs: err instanceof UpstreamError ? err.retryAfterMs ?? null : null };
    }
  }

  return {
    pollTask(videoId, priority = 'background', maxWaitMs) {
      const cur = polls.get(videoId);
      if (cur) {
        const providerId = store.get(videoId)?.providerId;
        const refused = !cur.started && maxWaitMs != null && providerId ? gate.refusal(providerId, priority, maxWaitMs) : null;
        if (refused) return Promise.resolve({ fault: refused, retryAfterMs: refused.retryAfterMs ?? null });
        cur.priority = higherPriority(cur.priority, priority);
        return cur.promise;
      }
      const shared = { priority, started: false, promise: Promise.resolve<StepOutcome>(NOTHING) };
      shared.promise = pollOnce(videoId, shared, maxWaitMs).finally(() => polls.delete(videoId));
      polls.set(videoId, shared);
      return shared.promise;
    },
  };
}
