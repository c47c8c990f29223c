// Follows every active task by itself: one timer per task at pollIntervalMs (+-20% jitter), watched
// tasks first, then the task looked at longest ago (round robin when the provider's pace is the limit),
// Retry-After honoured, faults backed off with full jitter. It also sends the offline
// queue (PENDING 'unsent') and settles 'sending' tasks. The providers' concurrency and per-minute caps
// are the service's provider gate's business (the single authority, shared with clients' requests);
// the poller only bounds how many of its steps per provider are under way or waiting there.
// Time comes only from the injected Clock, so tests drive it by hand.
import type { Settings } from '@shared/contract/settings';
import { isTerminal } from '@shared/contract/status';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Hub } from '../server/door-types';
import { watchedPollDelay } from './progress-eta';
import type { TaskRecord } from './record';
import type { SettingsSource, StepOutcome, TaskService } from './service-types';
import type { TaskStore } from './task-store';

export interface PollerDeps {
  service: TaskService;
  store: TaskStore;
  hub: Pick<Hub, 'isWatched'>;
  settings: SettingsSource;
  clock: Clock;
  logger: Logger;
  /** The poller's steps per provider under way or waiting in the gate (default 4): a queue bound. */
  concurrencyPerProvider?: number;
  /** First backoff step after a fault (default 2 s) and the cap (default 5 min). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Cap on any wait the upstream asks for (Retry-After, poll-after), default 10 min. */
  maxUpstreamWaitMs?: number;
  random?: () => number;
}

export interface Poller {
  start(): void;
  stop(): void;
  /** Tasks with a timer or waiting for a slot (for tests and diagnostics). */
  readonly tracked: number;
  /** Resolves when no upstream step started by the poller is in flight (shutdown, tests). */
  idle(): Promise<void>;
}

type Phase = 'submit' | 'settle' | 'poll';

interface Entry {
  timer: unknown;
  dueAt: number;
  /** When its last step began (0: never): the longest-waiting task goes first. */
  lastStartAt: number;
  faults: number;
  running: boolean;
  phase: Phase;
}

const MINUTE = 60_000;

function phaseOf(rec: TaskRecord): Phase {
  if (rec.status !== 'PENDING') return 'poll';
  return rec.submitState === 'sending' ? 'settle' : rec.submitState === 'unsent' ? 'submit' : 'poll';
}

export function createPoller(deps: PollerDeps): Poller {
  const { service, store, hub, settings, clock, logger } = deps;
  const cap = deps.concurrencyPerProvider ?? 4;
  const baseBackoff = deps.baseBackoffMs ?? 2_000;
  const maxBackoff = deps.maxBackoffMs ?? 5 * MINUTE;
  const maxWait = deps.maxUpstreamWaitMs ?? 10 * MINUTE;
  const random = deps.random ?? Math.random;

  const entries = new Map<string, Entry>();
  const due = new Set<string>();
  const inflight = new Map<string, number>();
  const runs = new Set<Promise<void>>();
  let started = false;
  let unsubscribe: (() => void) | null = null;

  const interval = () => settings.get().pollIntervalMs;
  const jittered = (ms: number) => Math.round(ms * (0.8 + 0.4 * random()));
  // Full jitter: anywhere up to the exponential step, but never a busy loop.
  const backoff = (faults: number) => Math.max(baseBackoff / 2, Math.round(random() * Math.min(maxBackoff, baseBackoff * 2 ** (faults - 1))));

  function entryFor(videoId: string, phase: Phase): Entry {
    let e = entries.get(videoId);
    if (!e) entries.set(videoId, (e = { timer: null, dueAt: 0, lastStartAt: 0, faults: 0, running: false, phase }));
    return e;
  }

  function forget(videoId: string): void {
    const e = entries.get(videoId);
    if (e?.timer != null) clock.clearTimeout(e.timer);
    entries.delete(videoId);
    due.delete(videoId);
  }

  function schedule(videoId: string, phase: Phase, delayMs: number): void {
    const e = entryFor(videoId, phase);
    e.phase = phase;
    if (e.timer != null) clock.clearTimeout(e.timer);
    due.delete(videoId);
    e.dueAt = clock.now() + delayMs;
    e.timer = clock.setTimeout(() => {
      e.timer = null;
      due.add(videoId);
      // A provider with every slot taken is drained when one frees, not at each of its tasks' timers.
      const providerId = store.get(videoId)?.providerId;
      if (providerId === undefined || (inflight.get(providerId) ?? 0) < cap) drain();
    }, delayMs);
  }

  /** The first wait for a task the poller has just noticed (at start or on a change). */
  function firstDelay(rec: TaskRecord, atStart: boolean): number {
    switch (phaseOf(rec)) {
      case 'settle':
        return service.isSubmitting(rec.videoId) ? interval() : 0;
      case 'submit':
        // createTask sends at once; the poller only picks up what that attempt left behind.
        return Math.max(atStart ? 0 : backoff(Math.max(1, rec.faultCount)), service.waitBeforeSending(rec.videoId));
      case 'poll':
        return atStart ? Math.round(random() * Math.min(interval(), 1_000)) : jittered(interval());
    }
  }

  function nextDelay(rec: TaskRecord, e: Entry, outcome: StepOutcome): number {
    const asked = outcome.retryAfterMs != null ? Math.min(outcome.retryAfterMs, maxWait) : 0;
    if (outcome.fault) return Math.max(backoff(e.faults), asked);
    if (phaseOf(rec) === 'submit') return Math.max(asked, backoff(Math.max(1, rec.faultCount)));
    // A task someone watches is looked at sooner as it nears its expected end (never later than usual).
    const routine = jittered(interval());
    const wait = hub.isWatched(rec.videoId) ? Math.min(routine, watchedPollDelay(rec.etaAt, clock.now())) : routine;
    return Math.max(wait, asked);
  }

  function onRecord(videoId: string, rec: TaskRecord | undefined): void {
    if (!started) return;
    // A held task is the dispatcher's until it is released (budget/dispatcher.ts).
    if (!rec || isTerminal(rec.status) || rec.holdReason) return forget(videoId);
    const e = entries.get(videoId);
    if (e?.running || due.has(videoId)) return;
    if (e && e.timer != null && e.phase === phaseOf(rec)) return;
    schedule(videoId, phaseOf(rec), firstDelay(rec, false));
  }

  function drain(): void {
    if (!started) return;
    // Watched tasks first; then round robin: the task whose last look is oldest. When more is due than
    // the provider's pace allows, every task then waits the same (N / rate), not whoever drew a long jitter.
    const ready: Array<{ videoId: string; rec: TaskRecord; watched: boolean; e: Entry | undefined }> = [];
    for (const videoId of due) {
      const rec = store.get(videoId);
      if (!rec || isTerminal(rec.status) || rec.holdReason) forget(videoId);
      else if ((inflight.get(rec.providerId) ?? 0) < cap) ready.push({ videoId, rec, watched: hub.isWatched(videoId), e: entries.get(videoId) });
    }
    ready.sort((a, b) => Number(b.watched) - Number(a.watched) || (a.e?.lastStartAt ?? 0) - (b.e?.lastStartAt ?? 0) || (a.e?.dueAt ?? 0) - (b.e?.dueAt ?? 0));
    for (const { videoId, rec } of ready) {
      const providerId = rec.providerId;
      if ((inflight.get(providerId) ?? 0) >= cap) continue;
      due.delete(videoId);
      inflight.set(providerId, (inflight.get(providerId) ?? 0) + 1);
      const p = run(videoId, rec, providerId);
      runs.add(p);
      void p.finally(() => runs.delete(p));
    }
  }

  async function run(videoId: string, rec: TaskRecord, providerId: string): Promise<void> {
    const e = entryFor(videoId, phaseOf(rec));
    e.running = true;
    e.lastStartAt = clock.now();
    let outcome: StepOutcome;
    // Someone watching the task gets its news before the routine rounds do.
    const priority = hub.isWatched(videoId) ? 'watched' : 'background';
    try {
      const phase = phaseOf(rec);
      if (phase === 'submit') outcome = await service.submitTask(videoId, priority);
      else if (phase === 'settle') outcome = service.isSubmitting(videoId) ? { fault: null, retryAfterMs: null } : await service.reconcileTask(videoId, priority);
      else outcome = await service.pollTask(videoId, priority);
    } catch (err) {
      logger.error('poller step failed', { videoId, err: err as Error });
      outcome = { fault: err as Error, retryAfterMs: null };
    } finally {
      e.running = false;
      inflight.set(providerId, Math.max(0, (inflight.get(providerId) ?? 1) - 1));
    }
    e.faults = outcome.fault ? e.faults + 1 : 0;
    const after = store.get(videoId);
    if (!started || !after || isTerminal(after.status)) forget(videoId);
    else schedule(videoId, phaseOf(after), nextDelay(after, e, outcome));
    drain();
  }

  function onSettings(s: Settings): void {
    // A shorter interval takes effect now, not after the old, longer waits.
    const now = clock.now();
    for (const [videoId, e] of entries) {
      if (e.timer != null && e.phase === 'poll' && e.faults === 0 && e.dueAt - now > s.pollIntervalMs * 1.2) {
        schedule(videoId, 'poll', jittered(s.pollIntervalMs));
      }
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      const off = service.onRecord(onRecord);
      const offSettings = settings.onChange(onSettings);
      unsubscribe = () => {
        off();
        if (typeof offSettings === 'function') (offSettings as () => void)();
      };
      const active = store.active();
      for (const rec of active) if (!rec.holdReason) schedule(rec.videoId, phaseOf(rec), firstDelay(rec, true));
      logger.info('poller started', { active: active.length });
    },
    stop() {
      started = false;
      unsubscribe?.();
      unsubscribe = null;
      for (const videoId of [...entries.keys()]) forget(videoId);
    },
    get tracked() {
      return entries.size;
    },
    async idle() {
      while (runs.size) await Promise.allSettled([...runs]);
    },
  };
}
