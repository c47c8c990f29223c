// The spending limits that apply to a job (the settings' budget over every provider, and its provider's
// own), whether sending it would pass one, and the 80 % warning. Sums come from the SpendLedger: what is
// spent plus what jobs in flight are expected to cost.
import { roundMoney } from '@shared/contract/cost-rules';
import type { Budget, TaskCost } from '@shared/contract/cost';
import { BUDGET_WARN_RATIO } from '@shared/contract/values';
import type { SpendLedger } from './spend-ledger';

export interface LimitScope {
  /** Null: over every provider (the settings' budget). */
  providerId: string | null;
  providerName: string | null;
  budget: Budget;
}

export interface LimitPassed {
  period: 'daily' | 'monthly';
  scope: LimitScope;
  limit: number;
  spent: number;
  reserved: number;
  estimate: number;
  currency: string;
}

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

function periods(ledger: SpendLedger, b: Budget): Array<{ period: 'daily' | 'monthly'; key: string; limit: number }> {
  const { day, month } = ledger.today();
  const out: Array<{ period: 'daily' | 'monthly'; key: string; limit: number }> = [];
  if (b.dailyLimit != null) out.push({ period: 'daily', key: day, limit: b.dailyLimit });
  if (b.monthlyLimit != null) out.push({ period: 'monthly', key: month, limit: b.monthlyLimit });
  return out;
}

/** The first limit that spent + reserved + this job's estimate would pass; null when it fits. A job without a known price counts as zero. */
export function limitPassed(ledger: SpendLedger, scopes: readonly LimitScope[], cost: Pick<TaskCost, 'estimate' | 'currency'> | null | undefined): LimitPassed | null {
  const currency = cost?.currency ?? null;
  if (currency == null) return null;
  const estimate = cost?.estimate ?? 0;
  for (const scope of scopes) {
    for (const { period, key, limit } of periods(ledger, scope.budget)) {
      const s = ledger.sums(key, currency, scope.providerId);
      if (roundMoney(s.spent + s.reserved + estimate) > limit + 1e-9) return { period, scope, limit, spent: s.spent, reserved: s.reserved, estimate, currency };
    }
  }
  return null;
}

/** "provider My relay" or "all providers": whose limit it is. */
const whoseLimit = (scope: LimitScope) => (scope.providerId ? `provider ${scope.providerName ?? scope.providerId}` : 'all providers');

/** "the daily limit of 1.00 USD (all providers): 0.80 USD spent and 0.00 USD reserved by jobs in flight; this job is estimated at 0.40 USD". */
export function describeLimitPassed(p: LimitPassed): string {
  const whose = whoseLimit(p.scope);
  const when = p.period === 'daily' ? 'today' : 'this month';
  return `Sending this job would pass the ${p.period} limit of ${money(p.limit, p.currency)} (${whose}): ` +
    `${money(p.spent, p.currency)} spent and ${money(p.reserved, p.currency)} reserved by jobs in flight ${when}; ` +
    `this job is estimated at ${money(p.estimate, p.currency)}.`;
}

/** Limits used to BUDGET_WARN_RATIO or more, each with a key that names its period (warned once per period). */
export function limitsNearlyUsed(ledger: SpendLedger, scopes: readonly LimitScope[], currency: string): Array<{ key: string; message: string; providerId: string | null }> {
  const out: Array<{ key: string; message: string; providerId: string | null }> = [];
  for (const scope of scopes) {
    for (const { period, key, limit } of periods(ledger, scope.budget)) {
      if (limit <= 0) continue;
      const s = ledger.sums(key, currency, scope.providerId);
      const used = roundMoney(s.spent + s.reserved);
      // Rounded as amounts are: 2.40 of 3.00 is 80 %, not a hair below it.
      if (used < roundMoney(limit * BUDGET_WARN_RATIO)) continue;
      const whose = whoseLimit(scope);
      out.push({
        key: `${scope.providerId ?? '*'}|${period}|${key}|${currency}`,
        providerId: scope.providerId,
        message: `${Math.floor((used / limit) * 100)} % of the ${period} limit of ${money(limit, currency)} (${whose}) is used: ` +
          `${money(s.spent, currency)} spent and ${money(s.reserved, currency)} reserved by jobs in flight.`,
      });
    }
  }
  return out;
}
