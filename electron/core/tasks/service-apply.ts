// How an upstream answer changes a stored task. Pure: the service stores and pushes the result.
import { TASK_ERROR_CODES } from '@shared/contract/errors';
import type { ProviderDialect } from '@shared/contract/dialects';
import { canTransition, isTerminal, nextProgress, type TaskStatus } from '@shared/contract/status';
import { toView, type TaskRecord } from './record';
import type { UpstreamJob } from '../providers/provider-client';
import { estimateEta, withSample } from './progress-eta';

/** 404s in a row before a job is taken as gone upstream (one can be a relay's hiccup). */
export const NOT_FOUND_LIMIT = 3;

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());

/** For openai the video is not a URL of its own: it is the job's content endpoint. */
export function contentUrl(baseUrl: string, externalId: string, variant: 'video' | 'thumbnail'): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/v1/videos/${encodeURIComponent(externalId)}/content${variant === 'thumbnail' ? '?variant=thumbnail' : ''}`;
}

export interface ApplyContext {
  now: number;
  dialect: ProviderDialect;
  baseUrl: string;
  /** The typical duration of the task's model (progress-eta.ts), for an ETA where progress says nothing. */
  typicalMs?: number | null;
}

/**
 * The record after the upstream said `job`. Unknown status: nothing moves; terminal
 * states are sticky; progress never goes down; COMPLETED fills the video fields.
 */
export function applyUpstreamJob(rec: TaskRecord, job: UpstreamJob, ctx: ApplyContext): TaskRecord {
  const next: TaskRecord = { ...rec, notFoundCount: 0, faultCount: 0 };
  if (isTerminal(rec.status)) return next;
  // An unknown status word leaves the task as it is, progress included; only a task the upstream
  // has just accepted (it named the job) moves past PENDING.
  if (job.status === null) {
    if (rec.status === 'PENDING') next.status = 'QUEUED';
    return stamp(rec, next, ctx.now);
  }
  let status: TaskStatus = rec.status;
  if (canTransition(rec.status, job.status)) status = job.status;
  next.status = status;
  next.progress = status === 'COMPLETED' ? 100 : isTerminal(status) ? rec.progress : nextProgress(rec.progress, job.progress, status);
  if (job.model && !rec.model) next.model = job.model;
  if (job.seconds && !rec.seconds) next.seconds = job.seconds;
  if (job.size && !rec.size) next.size = job.size;
  if (job.expiresAt != null) next.expiresAt = iso(job.expiresAt);
  if (status === 'COMPLETED') {
    const externalId = job.externalId || rec.externalId || '';
    next.videoUrl = job.videoUrl ?? (ctx.dialect === 'openai' ? contentUrl(ctx.baseUrl, externalId, 'video') : rec.videoUrl);
    next.thumbnailUrl = job.thumbnailUrl ?? (ctx.dialect === 'openai' ? contentUrl(ctx.baseUrl, externalId, 'thumbnail') : rec.thumbnailUrl);
    next.completedAt = iso(job.completedAt ?? ctx.now);
    next.error = null;
    next.errorCode = null;
  } else if (status === 'FAILED') {
    next.error = job.error ?? 'The upstream reported the job as failed';
    next.errorCode = job.errorCode ?? TASK_ERROR_CODES.UPSTREAM_FAILED;
    next.completedAt = iso(ctx.now);
  } else if (status === 'CANCELLED') {
    next.completedAt = iso(ctx.now);
  }
  return stamp(rec, withLiveProgress(next, job.progress != null, job.queuePosition ?? null, ctx), ctx.now);
}

/**
 * The progress history, ETA and queue position after an upstream answer: a sample when the upstream
 * gave a progress value; all of it dropped once the task is finished (the archive stays small).
 */
function withLiveProgress(next: TaskRecord, reported: boolean, queuePosition: number | null, ctx: ApplyContext): TaskRecord {
  if (isTerminal(next.status)) return { ...next, ...FINISHED };
  const history = reported ? withSample(next.progressHistory ?? [], ctx.now, next.progress) : next.progressHistory ?? [];
  return {
    ...next,
    progressHistory: history,
    ...estimateEta(history, Date.parse(next.createdAt), ctx.typicalMs ?? null),
    queuePosition: next.status === 'QUEUED' ? queuePosition : null,
  };
}

/** A task moved to FAILED by a rule of ours (not the upstream's verdict). */
export function failTask(rec: TaskRecord, errorCode: string, error: string, now: number): TaskRecord {
  if (isTerminal(rec.status)) return rec;
  return stamp(rec, { ...rec, status: 'FAILED', error, errorCode, completedAt: iso(now), ...FINISHED }, now);
}

/** What a finished task no longer carries: live progress is for active tasks only. */
export const FINISHED = Object.freeze({ progressHistory: [], etaAt: null, etaBasis: null, queuePosition: null });

/** Sets updatedAt only when something a client can see changed. */
export function stamp(before: TaskRecord, after: TaskRecord, now: number): TaskRecord {
  return viewChanged(before, after) ? { ...after, updatedAt: new Date(now).toISOString() } : after;
}

export function viewChanged(a: TaskRecord, b: TaskRecord): boolean {
  const va = toView(a) as unknown as Record<string, unknown>;
  const vb = toView(b) as unknown as Record<string, unknown>;
  return Object.keys(va).some((k) => k !== 'updatedAt' && va[k] !== vb[k]);
}

export function recordChanged(a: TaskRecord, b: TaskRecord): boolean {
  const ka = a as unknown as Record<string, unknown>;
  const kb = b as unknown as Record<string, unknown>;
  return Object.keys({ ...ka, ...kb }).some((k) => ka[k] !== kb[k]);
}
