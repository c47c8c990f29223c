// The few contract values the UI needs at run time. shared/contract builds zod schemas at load,
// and zod probes `new Function` (blocked by the page's CSP) and adds ~600 KB; the renderer only
// needs these constants, so it takes types from shared/ and values from here.
// contract-values.test.ts fails if they ever drift from shared/contract.
import type { Dialect } from '@shared/contract/provider';
import type { Language } from '@shared/contract/settings';
import type { TaskStatus } from '@shared/contract/status';

export const TASK_STATUSES: readonly TaskStatus[] = ['PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'];
export const ACTIVE_STATUSES: readonly TaskStatus[] = ['PENDING', 'QUEUED', 'PROCESSING'];
export const DIALECTS: readonly Dialect[] = ['openai', 'sora'];
export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];
export const MIN_POLL_INTERVAL_MS = 250;
export const MAX_PROMPT_LENGTH = 32_000;

export function isTerminal(status: TaskStatus): boolean {
  return !ACTIVE_STATUSES.includes(status);
}
