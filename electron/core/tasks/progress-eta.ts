// How far along an active task is and when it should end: a short history of the progress the
// upstream reported, and an ETA from it. Where the upstream gives progress, the ETA follows its
// recent rate; where it gives none (or it has not moved yet), the model's typical duration, learned
// from this service's finished jobs of the same provider and model. Pure functions, plus the small
// in-memory table of typical durations.
import type { EtaBasis, ProgressSample } from '@shared/contract/task';

/** Samples kept per task: enough for a recent rate, small enough for every push. */
export const HISTORY_LIMIT = 8;
/** The rate is read over the last this-many samples (the recent pace, not the queue wait before it). */
const RATE_WINDOW = 4;
/** Finished jobs per provider and model the typical duration is taken from. */
const TYPICAL_WINDOW = 20;

const iso = (ms: number) => new Date(ms).toISOString();

/** The history with one more sample; unchanged (the same array) when the progress did not move. */
export function withSample(history: ProgressSample[], atMs: number, progress: number): ProgressSample[] {
  const last = history[history.length - 1];
  if (last && last.progress === progress) return history;
  return [...history, { at: iso(atMs), progress }].slice(-HISTORY_LIMIT);
}

export interface Eta {
  etaAt: string | null;
  etaBasis: EtaBasis | null;
}

export const NO_ETA: Eta = Object.freeze({ etaAt: null, etaBasis: null });

/**
 * When the task should be done. From the rate over the recent samples when the progress moved;
 * else from the typical duration of its model counted from its creation; else unknown.
 */
export function estimateEta(history: readonly ProgressSample[], createdAtMs: number, typicalMs: number | null): Eta {
  const recent = history.slice(-RATE_WINDOW);
  if (recent.length >= 2) {
    const first = recent[0];
    const last = recent[recent.length - 1];
    const dt = Date.parse(last.at) - Date.parse(first.at);
    const dp = last.progress - first.progress;
    if (dt > 0 && dp > 0) return { etaAt: iso(Date.parse(last.at) + ((100 - last.progress) * dt) / dp), etaBasis: 'progress' };
  }
  if (typicalMs != null && Number.isFinite(createdAtMs)) return { etaAt: iso(createdAtMs + typicalMs), etaBasis: 'typical' };
  return NO_ETA;
}

/** The soonest a watched task is looked at again (the provider gate still paces every call). */
export const WATCHED_MIN_DELAY_MS = 1_000;

/**
 * How soon to look again at a task someone is watching: half the time left to its ETA, so the polls
 * close in on the expected end; past the ETA, half the time it is overdue, so a job that runs late is
 * not asked every second. No ETA: no hint (Infinity). The poller takes the smaller of this and its interval.
 */
export function watchedPollDelay(etaAt: string | null | undefined, nowMs: number): number {
  const eta = etaAt ? Date.parse(etaAt) : NaN;
  if (!Number.isFinite(eta)) return Infinity;
  return Math.max(WATCHED_MIN_DELAY_MS, Math.abs(eta - nowMs) / 2);
}

export interface TypicalDurations {
  /** The median time from creation to completion of recent finished jobs of this provider and model. */
  typical(providerId: string, model: string | null): number | null;
  /** A job that finished (taken once per task, however often its record is stored again). */
  learn(rec: { videoId: string; providerId: string; model: string | null; status: string; createdAt: string; completedAt: string | null }): void;
}

export function createTypicalDurations(): TypicalDurations {
  const byKey = new Map<string, Array<{ videoId: string; ms: number }>>();
  const keyOf = (providerId: string, model: string | null) => `${providerId}\n${model ?? ''}`;
  return {
    typical(providerId, model) {
      const runs = byKey.get(keyOf(providerId, model));
      if (!runs?.length) return null;
      const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
    },
    learn(rec) {
      if (rec.status !== 'COMPLETED' || !rec.completedAt) return;
      const ms = Date.parse(rec.completedAt) - Date.parse(rec.createdAt);
      if (!Number.isFinite(ms) || ms <= 0) return;
      const key = keyOf(rec.providerId, rec.model);
      const runs = byKey.get(key) ?? [];
      if (runs.some((r) => r.videoId === rec.videoId)) return;
      runs.push({ videoId: rec.videoId, ms });
      byKey.set(key, runs.slice(-TYPICAL_WINDOW));
    },
  };
}
