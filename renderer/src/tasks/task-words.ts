// How a task is put in words on its card and in the player: time left, how long ago, what went wrong.
import type { TaskView } from '@shared/contract/task';
import type { MessageKey, Translate } from '../i18n';

/** "12 s", "3 min", "1 h 5 min". */
export function formatSpan(ms: number, t: Translate): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('time.seconds', { n: s });
  const min = Math.round(s / 60);
  if (min < 60) return t('time.minutes', { n: min });
  return t('time.hours', { h: Math.floor(min / 60), m: min % 60 });
}

/** Past the ETA by less than this: "any moment now"; by more: "taking longer than expected". */
const LATE_AFTER_MS = 30_000;

/** The ETA of an active task in words, and what it is estimated from; null when unknown. */
export function etaWords(task: Pick<TaskView, 'etaAt' | 'etaBasis'>, now: number, t: Translate): { text: string; basis: string } | null {
  if (!task.etaAt) return null;
  const left = Date.parse(task.etaAt) - now;
  if (!Number.isFinite(left)) return null;
  const basis = t(task.etaBasis === 'typical' ? 'task.etaTypical' : 'task.etaRate');
  if (left > 1000) return { text: t('task.eta', { time: formatSpan(left, t) }), basis };
  return { text: t(left > -LATE_AFTER_MS ? 'task.etaSoon' : 'task.etaLate'), basis };
}

/** Where the task waits in the upstream's queue, when the upstream says. */
export function queueWords(task: Pick<TaskView, 'status' | 'queuePosition'>, t: Translate): string | null {
  if (task.status !== 'QUEUED' || task.queuePosition == null) return null;
  return task.queuePosition === 0 ? t('task.queueNext') : t('task.queueAhead', { n: task.queuePosition });
}

/** One formatter per language: making one costs a few ms, and every card on screen shows a date. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date and time in the UI's language. */
export function formatDate(iso: string | null, language: string): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return '';
  let format = dateFormats.get(language);
  if (!format) dateFormats.set(language, (format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(ms);
}

const PLAIN_ERRORS: Record<string, MessageKey> = {
  SUBMIT_UNCONFIRMED: 'err.SUBMIT_UNCONFIRMED',
  SUBMIT_REJECTED: 'err.SUBMIT_REJECTED',
  UPSTREAM_NOT_FOUND: 'err.UPSTREAM_NOT_FOUND',
  TRACKING_TIMEOUT: 'err.TRACKING_TIMEOUT',
  UPSTREAM_UNAUTHORIZED: 'err.UNAUTHORIZED',
  '401': 'err.UNAUTHORIZED',
  '403': 'err.UNAUTHORIZED',
};

/**
 * A failed task's error in plain words, with the details folded: our own codes get our own sentence
 * (the upstream's words and the code go in the details); otherwise the upstream's message is the
 * sentence (it is written for people) and the code is the detail.
 */
export function errorWords(task: Pick<TaskView, 'error' | 'errorCode'>, t: Translate): { text: string; details: string | null } {
  const mapped = task.errorCode ? PLAIN_ERRORS[task.errorCode] : undefined;
  const code = task.errorCode ? `(${task.errorCode})` : '';
  if (mapped) return { text: t(mapped), details: [task.error, code].filter(Boolean).join(' ') || null };
  if (task.error) return { text: task.error, details: task.errorCode };
  return { text: t('err.generic'), details: task.errorCode };
}
