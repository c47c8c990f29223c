// Turns whatever JSON an upstream sends about a job into an UpstreamJob. Relays differ in field
// names (id/task_id/video_id, video_url/url), progress ("30%" or 30) and error (string or object).
import { normaliseProgress, normaliseStatus, normaliseUpstreamError } from '@shared/contract/status';
import type { UpstreamJob } from './provider-client';

type Raw = Record<string, unknown>;

/** The job object itself, unwrapping a `{data: {...}}` envelope some relays add. */
export function jobObject(body: unknown): Raw | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const o = body as Raw;
  const hasOwn = ['id', 'task_id', 'video_id', 'status'].some((k) => o[k] != null);
  if (!hasOwn && o.data && typeof o.data === 'object' && !Array.isArray(o.data)) return o.data as Raw;
  return o;
}

export function jobId(o: Raw): string | null {
  for (const k of ['id', 'task_id', 'video_id']) {
    const v = o[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return null;
}

/**
 * Normalises one job. `fallbackId` is used when the body names no id (the origin's sora
 * dialect answers a retrieve with only status, progress, video_url and error).
 */
export function parseJob(o: Raw, fallbackId: string | null, pollAfterMs: number | null): UpstreamJob | null {
  const externalId = jobId(o) ?? fallbackId;
  if (!externalId) return null;
  const rawStatus = typeof o.status === 'string' ? o.status : null;
  const err = normaliseUpstreamError(o.error ?? o.fail_reason ?? null);
  return {
    externalId,
    status: normaliseStatus(rawStatus),
    rawStatus,
    progress: normaliseProgress(o.progress),
    videoUrl: str(o.video_url) ?? str(o.videoUrl) ?? str(o.url),
    thumbnailUrl: str(o.thumbnail_url) ?? str(o.thumbnailUrl),
    error: err?.message ?? null,
    errorCode: err?.code ?? null,
    prompt: str(o.prompt),
    model: str(o.model),
    seconds: typeof o.seconds === 'number' ? String(o.seconds) : str(o.seconds),
    size: str(o.size),
    createdAt: time(o.created_at),
    completedAt: time(o.completed_at),
    expiresAt: time(o.expires_at),
    remixOf: str(o.remixed_from_video_id),
    pollAfterMs,
    queuePosition: null,
  };
}

/** `openai-poll-after-ms` as a positive number of ms, else null. */
export function pollAfter(headers: Record<string, string>): number | null {
  const v = headers['openai-poll-after-ms'];
  if (v == null) return null;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Unix seconds (the official API), ms (some relays) or an ISO string -> ms since epoch. */
function time(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === 'string' && v !== '') {
    if (/^\d+$/.test(v)) return time(Number(v));
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
