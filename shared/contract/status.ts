// Task statuses: the schema, and how an upstream's words for them are read. The statuses and the
// rules that keep them honest (ranks, sticky terminal states, monotonic progress) are plain values
// in values.ts, re-exported here for the service.
import { z } from 'zod';
import { TASK_STATUSES, type TaskStatus } from './values';

export {
  ACTIVE_STATUSES, canTransition, isActive, isTerminal, nextProgress, STATUS_RANK, TASK_STATUSES, TERMINAL_STATUSES,
  type TaskStatus,
} from './values';

export const TaskStatusSchema = z.enum(TASK_STATUSES);

const SYNONYMS: Record<string, TaskStatus> = {
  queued: 'QUEUED', pending: 'QUEUED', submitted: 'QUEUED', not_start: 'QUEUED', preparing: 'QUEUED',
  processing: 'PROCESSING', in_progress: 'PROCESSING', running: 'PROCESSING', generating: 'PROCESSING',
  completed: 'COMPLETED', complete: 'COMPLETED', success: 'COMPLETED', succeeded: 'COMPLETED', finished: 'COMPLETED',
  failed: 'FAILED', failure: 'FAILED', fail: 'FAILED', error: 'FAILED',
  cancelled: 'CANCELLED', canceled: 'CANCELLED',
};

/** Maps an upstream status word to ours; `null` for a word we do not know (the task stays as it is). */
export function normaliseStatus(raw: unknown): TaskStatus | null {
  if (typeof raw !== 'string') return null;
  return SYNONYMS[raw.trim().toLowerCase()] ?? null;
}

/** Progress as a number or "30%" -> integer 0-100, or null when it says nothing usable. */
export function normaliseProgress(raw: unknown): number | null {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*%?\s*$/.test(raw)) n = Number.parseFloat(raw);
  else return null;
  if (!Number.isFinite(n)) return null;
  // Some relays report a fraction (0.3) rather than a percentage.
  if (n > 0 && n < 1 && typeof raw === 'number') n = n * 100;
  return Math.max(0, Math.min(100, Math.round(n)));
}

/** Error as a string or {code, message} -> {message, code}. */
export function normaliseUpstreamError(raw: unknown): { message: string; code: string | null } | null {
  if (raw == null || raw === '') return null;
  if (typeof raw === 'string') return { message: raw, code: null };
  if (typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    const message = typeof o.message === 'string' ? o.message : JSON.stringify(raw);
    const code = typeof o.code === 'string' ? o.code : typeof o.code === 'number' ? String(o.code) : null;
    return { message, code };
  }
  return { message: String(raw), code: null };
}
