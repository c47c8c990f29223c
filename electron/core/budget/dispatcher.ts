// Whether a PENDING task may be sent now or waits here, held: `slot` (its provider already has
// maxActiveJobs in flight, or older tasks wait for one), `budget` (sending it would pass a spending
// limit), `paused` (its batch is paused). Held tasks are released in creation order (queueSeq) whenever
// a job ends, a limit or a cap changes, a batch resumes, or a new local day begins. The hold is on the
// stored task, so a restart keeps the order, the holds and (through the ledger) the reservations.
import { NO_BUDGET } from '@shared/contract/cost';
import { startOfNextLocalDay } from '@shared/contract/cost-rules';
import { AppError } from '@shared/contract/errors';
import { isActive } from '@shared/contract/status';
import type { HoldReason } from '@shared/contract/values';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Hub } from '../server/door-types';
import type { TaskRecord } from '../tasks/record';
import type { TaskRecords } from '../tasks/service-records';
import type { ProviderLookup, SettingsSource } from '../tasks/service-types';
import type { TaskStore } from '../tasks/task-store';
import { describeLimitPassed, limitPassed, limitsNearlyUsed, type LimitScope } from './budget-limits';
import type { SpendLedger } from './spend-ledger';

export interface DispatcherDeps {
  store: TaskStore;
  records: Pick<TaskRecords, 'update' | 'onRecord'>;
  providers: ProviderLookup;
  settings: SettingsSource;
  ledger: SpendLedger;
  hub: Pick<Hub, 'broadcast'>;
  clock: Clock;
  logger: Logger;
  isPaused(batchId: string): boolean;
  /** Sends a released task (it is stored unheld by then). */
  release(videoId: string): void;
}

export type Admission = 'interactive' | 'batch';

export interface Dispatcher {
  /** The next place in the queue: creation order across providers and batches. */
  nextSeq(): number;
  /**
   * The holds for new tasks, in their order (not stored yet). An interactive creation that would pass a
   * limit is refused (BUDGET_EXCEEDED); a batch item waits for the budget instead. Those that may go now
   * are reserved in the ledger at once, so the next decision counts them.
   */
  admit(recs: readonly TaskRecord[], mode: Admission): Array<HoldReason | null>;
  /** A new task could not be stored: its reservation goes. */
  forget(videoId: string): void;
  /** Looks at the held tasks again soon (a limit or cap changed, a batch was resumed or paused). */
  reconsider(): void;
  /** Resolves when no release pass is under way. */
  idle(): Promise<void>;
  close(): void;
}

const isHeld = (r: TaskRecord) => r.status === 'PENDING' && r.submitState === 'unsent' && r.holdReason != null;
const bySeq = (a: TaskRecord, b: TaskRecord) => (a.queueSeq ?? 0) - (b.queueSeq ?? 0) || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);

export function createDispatcher(d: DispatcherDeps): Dispatcher {
  const { store, ledger, clock } = d;
  let seq = 0;
  for (const r of store.active()) seq = Math.max(seq, r.queueSeq ?? 0);
  /** Released (decided) and not stored unheld yet: they hold a slot already. */
  const releasing = new Map<string, string>();
  const warned = new Set<string>();
  let pass: Promise<void> | null = null;
  let again = false;
  let dayTimer: unknown = null;
  let closed = false;

  const capOf = (providerId: string) => d.providers.get(providerId)?.maxActiveJobs ?? null;
  const scopesOf = (providerId: string): LimitScope[] => {
    const view = d.providers.get(providerId);
    return [
      { providerId: null, providerName: null, budget: d.settings.get().budget ?? NO_BUDGET },
      { providerId, providerName: view?.name ?? null, budget: view?.budget ?? NO_BUDGET },
    ];
  };

  /** Jobs sent or about to be, per provider: active tasks not held, and those being released. */
  function inFlight(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of store.active()) if (!r.holdReason && !releasing.has(r.videoId)) out.set(r.providerId, (out.get(r.providerId) ?? 0) + 1);
    for (const providerId of releasing.values()) out.set(providerId, (out.get(providerId) ?? 0) + 1);
    return out;
  }

  const slotFree = (flying: Map<string, number>, providerId: string) => {
    const cap = capOf(providerId);
    return cap == null || (flying.get(providerId) ?? 0) < cap;
  };

  function reserve(rec: TaskRecord, flying: Map<string, number>): void {
    flying.set(rec.providerId, (flying.get(rec.providerId) ?? 0) + 1);
    ledger.apply(rec.videoId, { ...rec, holdReason: null });
  }

  function warnNear(recs: readonly TaskRecord[]): void {
    const seen = new Set<string>();
    for (const r of recs) {
      const currency = r.cost?.currency;
      if (!currency || seen.has(`${r.providerId}|${currency}`)) continue;
      seen.add(`${r.providerId}|${currency}`);
      for (const near of limitsNearlyUsed(ledger, scopesOf(r.providerId), currency)) {
        if (warned.has(near.key)) continue;
        warned.add(near.key);
        d.hub.broadcast('notice', { level: 'warning', code: 'BUDGET_WARNING', message: near.message, ...(near.providerId ? { providerId: near.providerId } : {}) });
      }
    }
  }

  function admit(recs: readonly TaskRecord[], mode: Admission): Array<HoldReason | null> {
    const flying = inFlight();
    const queued = new Set(store.active().filter((r) => isHeld(r) && r.holdReason === 'slot').map((r) => r.providerId));
    const out: Array<HoldReason | null> = [];
    const released: TaskRecord[] = [];
    for (const rec of recs) {
      if (rec.batchId && d.isPaused(rec.batchId)) {
        out.push('paused');
        continue;
      }
      const passed = limitPassed(ledger, scopesOf(rec.providerId), rec.cost);
      if (passed && mode === 'interactive') {
        // Nothing reserved by this call stays: it is refused whole.
        for (const r of released) ledger.apply(r.videoId, undefined);
        throw new AppError('BUDGET_EXCEEDED', describeLimitPassed(passed));
      }
      if (queued.has(rec.providerId) || !slotFree(flying, rec.providerId)) {
        queued.add(rec.providerId);
        out.push('slot');
      } else if (passed) {
        out.push('budget');
      } else {
        reserve(rec, flying);
        released.push(rec);
        out.push(null);
      }
    }
    warnNear(released);
    if (out.includes('budget')) armDayTimer();
    return out;
  }

  async function runPass(): Promise<void> {
    const held = store.active().filter((r) => isHeld(r) && !releasing.has(r.videoId)).sort(bySeq);
    const flying = inFlight();
    const slotBlocked = new Set<string>();
    const changes: Array<{ rec: TaskRecord; want: HoldReason | null }> = [];
    let budgetHeld = false;
    for (const r of held) {
      let want: HoldReason | null;
      if (r.batchId && d.isPaused(r.batchId)) want = 'paused';
      else if (!d.providers.get(r.providerId)) want = null; // gone: sending it fails it, said on the task
      else if (slotBlocked.has(r.providerId) || !slotFree(flying, r.providerId)) {
        slotBlocked.add(r.providerId);
        want = 'slot';
      } else if (limitPassed(ledger, scopesOf(r.providerId), r.cost)) want = 'budget';
      else want = null;
      if (want === null) {
        reserve(r, flying);
        releasing.set(r.videoId, r.providerId);
      }
      if (want === 'budget') budgetHeld = true;
      if (want !== r.holdReason) changes.push({ rec: r, want });
    }
    if (budgetHeld) armDayTimer();
    const released = changes.filter((c) => c.want === null).map((c) => c.rec);
    warnNear(released);
    await Promise.all(changes.map(async ({ rec, want }) => {
      try {
        const stored = await d.records.update(rec.videoId, (r) => (isHeld(r) && r.holdReason === rec.holdReason ? { ...r, holdReason: want } : null));
        if (want === null && stored && !stored.holdReason && stored.status === 'PENDING') d.release(rec.videoId);
      } catch (err) {
        d.logger.error('a held task could not be stored with its new hold', { videoId: rec.videoId, err: err as Error });
      } finally {
        if (want === null) {
          releasing.delete(rec.videoId);
          ledger.apply(rec.videoId, store.get(rec.videoId));
        }
      }
    }));
    if (released.length) d.logger.info('held tasks released', { count: released.length });
  }

  function reconsider(): void {
    if (closed) return;
    if (pass) {
      again = true;
      return;
    }
    pass = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      do {
        again = false;
        await runPass();
      } while (again && !closed);
    }).catch((err: unknown) => d.logger.error('releasing held tasks failed', { err: err as Error })).finally(() => {
      pass = null;
    });
  }

  /** A task held for the budget may go when a new local day (and so maybe a new month) begins. */
  function armDayTimer(): void {
    if (dayTimer != null || closed) return;
    const now = clock.now();
    dayTimer = clock.setTimeout(() => {
      dayTimer = null;
      reconsider();
    }, startOfNextLocalDay(now) - now + 1);
  }

  // A job that ends (or a task deleted) frees a slot and turns its reservation into what it cost.
  d.records.onRecord((videoId, rec) => {
    ledger.observe(videoId, rec);
    if (!rec || !isActive(rec.status)) reconsider();
  });
  d.settings.onChange(() => reconsider());
  reconsider();

  return {
    nextSeq: () => ++seq,
    admit,
    forget: (videoId) => ledger.apply(videoId, store.get(videoId)),
    reconsider,
    async idle() {
      while (pass) await pass;
    },
    close() {
      closed = true;
      if (dayTimer != null) clock.clearTimeout(dayTimer);
      dayTimer = null;
    },
  };
}
