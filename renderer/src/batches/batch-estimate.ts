// What a batch will cost before anything is sent: each item priced as the core will price it (the same
// cost rules, from the provider's catalog), times the variants. Items whose price is not known count 0
// and are counted apart, so the UI can say so.
import type { BatchFileItem } from '@shared/contract/batch-file';
import { estimateCost, roundMoney } from '@shared/contract/cost-rules';
import type { ProviderView } from '@shared/contract/provider';

export interface BatchDefaults {
  providerId: string;
  /** Blank: the provider's first model (as the core picks it). */
  model: string;
  seconds: string;
  size: string;
}

export interface BatchEstimate {
  tasks: number;
  /** The priced tasks summed, in `currency`; tasks in another currency are not added (see `otherCurrency`). */
  total: number;
  currency: string | null;
  unpriced: number;
  otherCurrency: number;
}

/** Each item with the defaults filled in where it names nothing itself (what createBatch is sent). */
export function withDefaults(items: readonly BatchFileItem[], d: BatchDefaults): BatchFileItem[] {
  return items.map((item) => ({
    prompt: item.prompt,
    providerId: item.providerId ?? d.providerId,
    ...(item.model ?? d.model ? { model: item.model ?? d.model } : {}),
    ...(item.seconds ?? d.seconds ? { seconds: item.seconds ?? d.seconds } : {}),
    ...(item.size ?? d.size ? { size: item.size ?? d.size } : {}),
  }));
}

export function estimateBatch(items: readonly BatchFileItem[], variants: number, providers: readonly ProviderView[]): BatchEstimate {
  const out: BatchEstimate = { tasks: items.length * variants, total: 0, currency: null, unpriced: 0, otherCurrency: 0 };
  for (const item of items) {
    const catalog = providers.find((p) => p.id === item.providerId)?.models ?? [];
    const entry = item.model ? catalog.find((m) => m.id === item.model) ?? null : catalog[0] ?? null;
    const { estimate, currency } = estimateCost(entry, item.seconds ?? null, item.size ?? null);
    if (estimate == null || currency == null) {
      out.unpriced += variants;
    } else if (out.currency == null || out.currency === currency) {
      out.currency = currency;
      out.total = roundMoney(out.total + estimate * variants);
    } else {
      out.otherCurrency += variants;
    }
  }
  return out;
}
