// What was spent and what is reserved, derived from the stored tasks' costs (no counter of its own):
// built from the store when first needed (not at start: a cold start does not pay for it) and then kept
// in step by the record listener, so a budget check and getSpend read sums in memory. A task counts on the local day its job was sent (submitStartedAt; a tracked job:
// its creation), an ended one with its actual cost, one in flight with its estimate (reserved), a held
// one not at all. Amounts of different currencies are never added together.
import { localDay, localMonth, roundMoney } from '@shared/contract/cost-rules';
import { isTerminal } from '@shared/contract/status';
import type { SpendGroup } from '@shared/contract/values';
import type { Spend, SpendRow } from '@shared/contract/cost';
import type { TaskRecord } from '../tasks/record';
import type { TaskStore } from '../tasks/task-store';

export interface Charge {
  at: number;
  day: string;
  providerId: string;
  model: string;
  currency: string;
  amount: number;
  /** In flight: the estimate, reserved until the task ends. */
  reserved: boolean;
}

export interface PeriodSums {
  spent: number;
  reserved: number;
}

/** The store's paging limit: the ledger reads every task once at start in pages this big. */
const LOAD_PAGE = 10_000;

/** What a task counts for, or null when nothing (no known price, held, or ended without a bill). */
export function chargeOf(rec: TaskRecord, now: number): Charge | null {
  const cost = rec.cost;
  if (!cost || cost.currency == null || rec.holdReason) return null;
  const ended = isTerminal(rec.status);
  if (ended && rec.status !== 'COMPLETED' && !cost.actual) return null;
  const amount = ended ? cost.actual ?? 0 : cost.estimate ?? 0;
  // Released and not sent yet: it goes today.
  const at = rec.submitStartedAt ?? (rec.status === 'PENDING' && rec.submitState === 'unsent' ? now : Date.parse(rec.createdAt));
  return { at, day: localDay(at), providerId: rec.providerId, model: rec.model ?? '', currency: cost.currency, amount, reserved: !ended };
}

export class SpendLedger {
  private readonly charges = new Map<string, Charge>();
  /** period (a day YYYY-MM-DD, and its month YYYY-MM) -> "provider\0currency" -> sums */
  private readonly periods = new Map<string, Map<string, PeriodSums>>();

  private loaded = false;

  constructor(
    private readonly store: TaskStore,
    private readonly now: () => number,
  ) {}

  /** Every stored task, once, the first time a sum is needed. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    let cursor: string | null = null;
    do {
      const page = this.store.list({ limit: LOAD_PAGE, cursor });
      for (const rec of page.tasks) this.put(rec.videoId, rec);
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** A stored change (the record listener): before the first load there is nothing to keep in step. */
  observe(videoId: string, rec: TaskRecord | undefined): void {
    if (this.loaded) this.put(videoId, rec);
  }

  /** A task as it is about to be stored or now is (undefined: deleted): a reservation taken or let go at once. */
  apply(videoId: string, rec: TaskRecord | undefined): void {
    this.load();
    this.put(videoId, rec);
  }

  private put(videoId: string, rec: TaskRecord | undefined): void {
    const old = this.charges.get(videoId);
    if (old) this.add(old, -1);
    const next = rec ? chargeOf(rec, this.now()) : null;
    if (next) {
      this.charges.set(videoId, next);
      this.add(next, 1);
    } else {
      this.charges.delete(videoId);
    }
  }

  private add(c: Charge, sign: 1 | -1): void {
    for (const period of [c.day, c.day.slice(0, 7)]) {
      let byKey = this.periods.get(period);
      if (!byKey) this.periods.set(period, (byKey = new Map()));
      const key = `${c.providerId}\0${c.currency}`;
      const sums = byKey.get(key) ?? { spent: 0, reserved: 0 };
      if (c.reserved) sums.reserved = roundMoney(sums.reserved + sign * c.amount);
      else sums.spent = roundMoney(sums.spent + sign * c.amount);
      if (sums.spent === 0 && sums.reserved === 0) byKey.delete(key);
      else byKey.set(key, sums);
      if (byKey.size === 0) this.periods.delete(period);
    }
  }

  /** Spent and reserved in a local day (YYYY-MM-DD) or month (YYYY-MM), in one currency, for one provider or all. */
  sums(period: string, currency: string, providerId: string | null): PeriodSums {
    this.load();
    const out = { spent: 0, reserved: 0 };
    for (const [key, s] of this.periods.get(period) ?? []) {
      const [p, cur] = key.split('\0');
      if (cur !== currency || (providerId !== null && p !== providerId)) continue;
      out.spent += s.spent;
      out.reserved += s.reserved;
    }
    return { spent: roundMoney(out.spent), reserved: roundMoney(out.reserved) };
  }

  today(): { day: string; month: string } {
    const now = this.now();
    return { day: localDay(now), month: localMonth(now) };
  }

  /** getSpend: the charges sent in [from, to), grouped; one row per key and currency. */
  spend(q: { from?: string | null; to?: string | null; groupBy: SpendGroup }): Spend {
    this.load();
    const from = q.from ? Date.parse(q.from) : -Infinity;
    const to = q.to ? Date.parse(q.to) : Infinity;
    const rows = new Map<string, SpendRow>();
    const total: Record<string, number> = {};
    const reserved: Record<string, number> = {};
    for (const c of this.charges.values()) {
      if (c.at < from || c.at >= to) continue;
      const key = q.groupBy === 'day' ? c.day : q.groupBy === 'month' ? c.day.slice(0, 7) : q.groupBy === 'provider' ? c.providerId : c.model;
      const id = `${key}\0${c.currency}`;
      let row = rows.get(id);
      if (!row) rows.set(id, (row = { key, amount: 0, currency: c.currency, tasks: 0, ...(q.groupBy === 'day' || q.groupBy === 'month' ? { byProvider: {} } : {}) }));
      row.amount = roundMoney(row.amount + c.amount);
      row.tasks++;
      if (row.byProvider) row.byProvider[c.providerId] = roundMoney((row.byProvider[c.providerId] ?? 0) + c.amount);
      total[c.currency] = roundMoney((total[c.currency] ?? 0) + c.amount);
      if (c.reserved) reserved[c.currency] = roundMoney((reserved[c.currency] ?? 0) + c.amount);
    }
    const sorted = [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.currency < b.currency ? -1 : 1));
    return { rows: sorted, total, reserved };
  }
}
