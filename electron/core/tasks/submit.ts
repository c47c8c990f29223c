// Sending a creation upstream without ever paying twice. The 'sending' mark is durable before the
// POST leaves (and only once the provider gate lets it go, so a task waiting for a token is still
// 'unsent' if we crash); an outcome we cannot know is reconciled through the list endpoint, never re-sent.
import { AppError, TASK_ERROR_CODES } from '@shared/contract/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ModelEntry } from '@shared/contract/model';
import { UpstreamError, type ProviderClient, type ProviderConnection, type UpstreamJob } from '../providers/provider-client';
import type { Hub } from '../server/door-types';
import { GateRefusal, type GatePriority, type ProviderGate } from './provider-gate';
import type { TaskRecord } from './record';
import { applyUpstreamJob, failTask, stamp } from './service-apply';
import type { StepOutcome } from './service-types';
import type { UpstreamCanceller } from './upstream-cancel';
import type { TaskStore } from './task-store';

export const UNCONFIRMED_MESSAGE =
  'The job may exist upstream: the creation request got no usable answer and could not be confirmed, ' +
  'so it was not re-sent to avoid paying twice. Check the provider before retrying.';

/** Transient faults while reconciling before we give up and say SUBMIT_UNCONFIRMED. */
const RECONCILE_ATTEMPTS = 3;

export interface SubmitterDeps {
  store: TaskStore;
  clock: Clock;
  logger: Logger;
  hub: Hub;
  /** The bare client: every API call made with it here goes through `gate`. */
  connect(providerId: string): Promise<{ client: ProviderClient; conn: ProviderConnection }>;
  gate: ProviderGate;
  /** Read-modify-write of one record; stores durably, then pushes when the view changed. */
  update(videoId: string, change: (r: TaskRecord) => TaskRecord | null): Promise<TaskRecord | undefined>;
  reconcile: { pageSize: number; pages: number; windowMs: number };
  /** The model's catalog entry (how the request fills its input); null for a model the catalog does not know. */
  modelEntry(providerId: string, model: string | null): ModelEntry | null;
  canceller: UpstreamCanceller;
  /** The typical duration of a task's model, for its ETA (progress-eta.ts). */
  typicalMs?(rec: TaskRecord): number | null;
}

const none: StepOutcome = { fault: null, retryAfterMs: null };

export function createSubmitter(d: SubmitterDeps) {
  const inFlight = new Set<string>();
  /** When the upstream asked us to wait (Retry-After on a refused create), per task. */
  const notBefore = new Map<string, number>();
  // Reconciliations of one provider run one at a time, so two tasks cannot adopt the same job.
  const reconcileChains = new Map<string, Promise<unknown>>();

  const fail = (videoId: string, code: string, message: string) =>
    d.update(videoId, (r) => failTask(r, code, message, d.clock.now()));

  const accept = (videoId: string, job: UpstreamJob, conn: ProviderConnection) =>
    d.update(videoId, (r) => {
      const accepted: TaskRecord = { ...r, externalId: job.externalId, submitState: 'accepted', faultCount: 0 };
      const ctx = { now: d.clock.now(), dialect: conn.dialect, baseUrl: conn.baseUrl, typicalMs: d.typicalMs?.(r) ?? null };
      return stamp(r, applyUpstreamJob(accepted, job, ctx), d.clock.now());
    });

  /** Back to 'unsent': the upstream surely has nothing, so sending again is safe. */
  const unsend = (videoId: string) =>
    d.update(videoId, (r) => (r.submitState === 'sending' ? { ...r, submitState: 'unsent', faultCount: r.faultCount + 1 } : null));

  async function submit(videoId: string, priority: GatePriority = 'background'): Promise<StepOutcome> {
    const rec = d.store.get(videoId);
    // A held task waits here (a slot, the budget, a paused batch) until the dispatcher releases it.
    if (!rec || inFlight.has(videoId) || rec.status !== 'PENDING' || rec.submitState !== 'unsent' || rec.holdReason) return none;
    const wait = notBefore.get(videoId);
    if (wait != null && wait > d.clock.now()) return { fault: null, retryAfterMs: wait - d.clock.now() };
    notBefore.delete(videoId);
    inFlight.add(videoId);
    try {
      return await send(rec, priority);
    } finally {
      inFlight.delete(videoId);
    }
  }

  async function send(rec: TaskRecord, priority: GatePriority): Promise<StepOutcome> {
    const { videoId } = rec;
    let client: ProviderClient, conn: ProviderConnection;
    try {
      ({ client, conn } = await d.connect(rec.providerId));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        await fail(videoId, TASK_ERROR_CODES.SUBMIT_REJECTED, `The provider "${rec.providerId}" no longer exists`);
        return none;
      }
      return { fault: err as Error, retryAfterMs: null }; // e.g. a locked keychain: try again later
    }
    let remixSource: string | null = null;
    if (rec.remixOf) {
      remixSource = d.store.get(rec.remixOf)?.externalId ?? null;
      if (!remixSource) {
        await fail(videoId, TASK_ERROR_CODES.SUBMIT_REJECTED, 'The video to remix no longer exists');
        return none;
      }
    }
    let sent = false;
    let job: UpstreamJob | null;
    try {
      job = await d.gate.run(rec.providerId, priority, async () => {
        const startedAt = d.clock.now();
        const marked = await d.update(videoId, (r) =>
          r.status === 'PENDING' && r.submitState === 'unsent' && !r.holdReason ? { ...r, submitState: 'sending', submitStartedAt: startedAt } : null,
        );
        // Cancelled, deleted or held (its batch paused) while it waited for the gate: nothing to send.
        if (!marked || marked.submitState !== 'sending' || marked.submitStartedAt !== startedAt) return null;
        sent = true;
        return remixSource
          ? client.remix(remixSource, rec.prompt)
          : client.create({
            prompt: rec.prompt, model: rec.model, seconds: rec.seconds, size: rec.size, inputReference: rec.inputReference,
            entry: d.modelEntry(rec.providerId, rec.model),
          });
      });
    } catch (err) {
      // Refused by the gate (shutting down) or the mark could not be stored: nothing left, it stays 'unsent'.
      if (!sent) return { fault: err as Error, retryAfterMs: err instanceof UpstreamError ? err.retryAfterMs ?? null : null };
      return onCreateFailure(rec, err, client, conn, priority);
    }
    if (!job) return none;
    d.logger.info('job accepted upstream', { videoId, externalId: job.externalId, providerId: rec.providerId });
    const accepted = await accept(videoId, job, conn);
    // Cancelled while the creation was under way: the cancel goes now that the job has an id.
    if (accepted) await d.canceller.afterAccepted(accepted, client);
    return { fault: null, retryAfterMs: job.pollAfterMs };
  }

  async function onCreateFailure(rec: TaskRecord, err: unknown, client: ProviderClient, conn: ProviderConnection, priority: GatePriority): Promise<StepOutcome> {
    const { videoId } = rec;
    // Only a refusal that surely made nothing may be sent again: never reached, or a 429 (rate
    // limits are checked before any work). A 5xx or an unusable 2xx body may hide a created job.
    if (err instanceof UpstreamError && (err.reached === 'no' || (err.reached === 'yes' && err.code === 'RATE_LIMITED'))) {
      d.logger.warn('creation not accepted, will send again', { videoId, code: err.code, httpStatus: err.httpStatus, reached: err.reached });
      if (err.retryAfterMs != null) notBefore.set(videoId, d.clock.now() + err.retryAfterMs);
      await unsend(videoId);
      return { fault: err, retryAfterMs: err.retryAfterMs ?? null };
    }
    if (err instanceof UpstreamError && err.reached === 'yes' && !err.transient) {
      const code = err.code === 'UPSTREAM_UNAUTHORIZED' ? 'UPSTREAM_UNAUTHORIZED' : TASK_ERROR_CODES.SUBMIT_REJECTED;
      d.logger.warn('creation rejected upstream', { videoId, code: err.code, httpStatus: err.httpStatus });
      if (err.code === 'UPSTREAM_UNAUTHORIZED') {
        d.hub.broadcast('notice', { level: 'error', code: 'UPSTREAM_UNAUTHORIZED', providerId: rec.providerId, message: err.message });
      }
      await fail(videoId, code, err.message);
      return { fault: err, retryAfterMs: null };
    }
    // A timeout after sending, a reset, a 5xx, a garbled answer, or anything we cannot classify: the job may exist.
    d.logger.warn('creation outcome unknown, reconciling', { videoId, err: err as Error });
    return reconcileNow(videoId, priority, client, conn);
  }

  function reconcileNow(videoId: string, priority: GatePriority, client?: ProviderClient, conn?: ProviderConnection): Promise<StepOutcome> {
    const providerId = d.store.get(videoId)?.providerId ?? '';
    const run = (reconcileChains.get(providerId) ?? Promise.resolve()).then(() => reconcileOne(videoId, priority, client, conn));
    const tail = run.catch(() => undefined);
    reconcileChains.set(providerId, tail);
    void tail.then(() => {
      if (reconcileChains.get(providerId) === tail) reconcileChains.delete(providerId);
    });
    return run;
  }

  async function reconcileOne(videoId: string, priority: GatePriority, client?: ProviderClient, conn?: ProviderConnection): Promise<StepOutcome> {
    const rec = d.store.get(videoId);
    if (!rec || rec.status !== 'PENDING' || rec.submitState !== 'sending') return none;
    if (!client || !conn) {
      try {
        ({ client, conn } = await d.connect(rec.providerId));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') {
          await fail(videoId, TASK_ERROR_CODES.SUBMIT_UNCONFIRMED, UNCONFIRMED_MESSAGE);
          return none;
        }
        return { fault: err as Error, retryAfterMs: null };
      }
    }
    if (!client.supportsList) {
      await fail(videoId, TASK_ERROR_CODES.SUBMIT_UNCONFIRMED, UNCONFIRMED_MESSAGE);
      return none;
    }
    let found: UpstreamJob | null;
    try {
      found = await findOurJob(rec, client, priority);
    } catch (err) {
      // The gate closing (shutdown) is not an attempt: the next start settles it.
      if (err instanceof GateRefusal) return { fault: err, retryAfterMs: err.retryAfterMs ?? null };
      if (err instanceof UpstreamError && err.transient && rec.faultCount + 1 < RECONCILE_ATTEMPTS) {
        await d.update(videoId, (r) => ({ ...r, faultCount: r.faultCount + 1 }));
        return { fault: err, retryAfterMs: err.retryAfterMs ?? null };
      }
      d.logger.warn('reconciliation failed', { videoId, err: err as Error });
      found = null;
    }
    if (!found) {
      await fail(videoId, TASK_ERROR_CODES.SUBMIT_UNCONFIRMED, UNCONFIRMED_MESSAGE);
      return none;
    }
    d.logger.info('unconfirmed creation found upstream, adopted', { videoId, externalId: found.externalId });
    await accept(videoId, found, conn);
    return none;
  }

  /** Our job in the recent list: same prompt, created near submitStartedAt, not linked to another task. */
  async function findOurJob(rec: TaskRecord, client: ProviderClient, priority: GatePriority): Promise<UpstreamJob | null> {
    const started = rec.submitStartedAt ?? Date.parse(rec.createdAt);
    const { windowMs, pageSize, pages } = d.reconcile;
    const candidates: UpstreamJob[] = [];
    let after: string | undefined;
    for (let page = 0; page < pages; page++) {
      const res = await d.gate.run(rec.providerId, priority, () => client.list({ limit: pageSize, after, createdAfterMs: started - windowMs }));
      for (const job of res.jobs) {
        if (job.createdAt == null || Math.abs(job.createdAt - started) > windowMs) continue;
        if ((job.prompt ?? '').trim() !== rec.prompt.trim()) continue;
        if (isLinked(rec, job.externalId)) continue;
        candidates.push(job);
      }
      const oldest = res.jobs.at(-1)?.createdAt;
      if (!res.hasMore || !res.lastId || (oldest != null && oldest < started - windowMs)) break;
      after = res.lastId;
    }
    candidates.sort((a, b) => Math.abs((a.createdAt ?? 0) - started) - Math.abs((b.createdAt ?? 0) - started));
    return candidates[0] ?? null;
  }

  function isLinked(rec: TaskRecord, externalId: string): boolean {
    const other = (t: TaskRecord) => t.videoId !== rec.videoId && t.providerId === rec.providerId && t.externalId === externalId;
    return d.store.active().some(other) || d.store.list({ search: externalId, limit: 500 }).tasks.some(other);
  }

  return {
    submit,
    /** For a 'sending' task nobody is sending (found at start-up): settle it, never re-send. */
    reconcile: (videoId: string, priority: GatePriority = 'background') => (inFlight.has(videoId) ? Promise.resolve(none) : reconcileNow(videoId, priority)),
    isSubmitting: (videoId: string) => inFlight.has(videoId),
    /** ms until a Retry-After for this task's creation has passed (0: may send now). */
    waitBeforeSending: (videoId: string) => Math.max(0, (notBefore.get(videoId) ?? 0) - d.clock.now()),
  };
}
