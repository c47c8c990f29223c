// The contract's plain values: statuses and their rules, limits, patterns, the locale rule. No zod
// here (and lint keeps it so): the renderer imports this module at run time, and zod would probe
// `new Function` (refused by the page's CSP) and add ~600 KB. The schemas build on these values.

// ---- Task statuses ------------------------------------------------------------------------------
export const TASK_STATUSES = ['PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const ACTIVE_STATUSES: readonly TaskStatus[] = ['PENDING', 'QUEUED', 'PROCESSING'];
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** How far along a status is: a task never moves to a lower rank. Terminal states share the top. */
export const STATUS_RANK: Readonly<Record<TaskStatus, number>> = { PENDING: 0, QUEUED: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 3, CANCELLED: 3 };

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isActive(status: TaskStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/**
 * May a task move from `from` to `to`? Terminal states are sticky; an active task never goes
 * back to PENDING once the upstream accepted it, and PROCESSING never returns to QUEUED.
 */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  if (from === to) return true;
  if (isTerminal(from)) return false;
  return STATUS_RANK[to] >= STATUS_RANK[from];
}

/** Progress never decreases while active, and is 100 once COMPLETED. */
export function nextProgress(current: number, incoming: number | null, status: TaskStatus): number {
  if (status === 'COMPLETED') return 100;
  if (incoming == null) return current;
  return Math.max(current, Math.min(incoming, 99));
}

// ---- Limits -------------------------------------------------------------------------------------
export const MAX_FRAME_BYTES = 1024 * 1024;
export const MAX_PROMPT_LENGTH = 32_000;
/** requestMultipleTaskStatus takes at most this many ids. */
export const MAX_BATCH_VIDEO_IDS = 100;
/** listTasks pages: the default and the largest page. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 500;
export const MIN_POLL_INTERVAL_MS = 250;
export const MAX_POLL_INTERVAL_MS = 3_600_000;
export const MIN_TRACKING_TIMEOUT_MS = 60_000;
export const MAX_RATE_LIMIT_PER_MINUTE = 10_000;

// ---- Patterns (the form checks and the schemas use the same ones) -------------------------------
/** `seconds` as text: 1 to 4 digits. */
export const SECONDS_PATTERN = /^\d{1,4}$/;
/** `size`: width x height, like 1280x720. */
export const SIZE_PATTERN = /^\d{2,5}x\d{2,5}$/;
/** A provider id a client may choose. */
export const PROVIDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A provider base URL must be http or https. */
export const HTTP_URL_PATTERN = /^https?:\/\//i;

// ---- Names --------------------------------------------------------------------------------------
// What each dialect can do is in dialects.ts.
export const DIALECTS = ['openai', 'sora', 'gemini', 'fal', 'replicate'] as const;
export type Dialect = (typeof DIALECTS)[number];
export const DEMO_PROVIDER_ID = 'demo';

/** The UI's colours: the system's choice, or always light or dark. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The UI language for an OS locale ("zh-CN", "zh_CN.UTF-8", "zh-Hans-CN" -> zh-CN; anything else -> en). */
export function languageForLocale(locale: string | null | undefined): Language {
  return /^zh([-_]|$)/i.test(locale ?? '') ? 'zh-CN' : 'en';
}

export const ERROR_CODES = [
  'BAD_JSON', 'BAD_REQUEST', 'UNKNOWN_TYPE', 'UNAUTHORIZED', 'NOT_FOUND', 'UPSTREAM_ERROR',
  'UPSTREAM_UNAUTHORIZED', 'RATE_LIMITED', 'KEYCHAIN_UNAVAILABLE', 'CONFLICT', 'INTERNAL', 'BUDGET_EXCEEDED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const NOTICE_LEVELS = ['info', 'warning', 'error'] as const;

export const UPDATE_STATES = ['unsupported', 'idle', 'checking', 'available', 'downloading', 'downloaded', 'error', 'up-to-date'] as const;

// ---- Cost, budgets, batches ---------------------------------------------------------------------
/**
 * Why a PENDING task waits on this machine, unsent: `slot` its provider has maxActiveJobs in flight;
 * `budget` sending it would pass a spending limit; `paused` its batch is paused.
 */
export const HOLD_REASONS = ['slot', 'budget', 'paused'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
/** getSpend's groupings. */
export const SPEND_GROUPS = ['day', 'month', 'provider', 'model'] as const;
export type SpendGroup = (typeof SPEND_GROUPS)[number];
/** A batch: items still to run, held by its pause, stopped by a cancel, or every item ended. */
export const BATCH_STATES = ['running', 'paused', 'cancelled', 'done'] as const;
export type BatchState = (typeof BATCH_STATES)[number];
/** Tasks one createBatch may make (items times variants). */
export const MAX_BATCH_TASKS = 5_000;
export const MAX_BATCH_VARIANTS = 20;
/** A `notice` warns once a limit is this far used (spent plus reserved). */
export const BUDGET_WARN_RATIO = 0.8;
/** maxActiveJobs of a provider of one's own that never set it (the built-in demo profiles: none). */
export const DEFAULT_MAX_ACTIVE_JOBS = 2;
