// Task statuses and the rules that keep them honest. Pure functions: no Node, DOM or Electron.
import { z } from 'zod';

export const TASK_STATUSES = ['PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
export const ACTIVE_STATUSES: readonly TaskStatus[] = ['PENDING', 'QUEUED', 'PROCESSING'];

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

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

/**
 * May a task move from `from` to `to`? Terminal states are sticky; an active task never goes
 * back to PENDING once the upstream accepted it, and PROCESSING never returns to QUEUED.
 */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  if (from === to) return true;
  if (isTerminal(from)) return false;
  const rank: Record<TaskStatus, number> = { PENDING: 0, QUEUED: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 3, CANCELLED: 3 };
  return rank[to] >= rank[from];
}

/** Progress never decreases while active, and is 100 once COMPLETED. */
export function nextProgress(current: number, incoming: number | null, status: TaskStatus): number {
  if (status === 'COMPLETED') return 100;
  if (incoming == null) return current;
  return Math.max(current, Math.min(incoming, 99));
}
