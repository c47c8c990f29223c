// A task's cost as the card, the player and the gallery's sort show it: what it cost once it ended, or
// what it is expected to cost while it runs (an estimate), or nothing when the price is not known.
import type { TaskView } from '@shared/contract/task';

export interface TaskCost {
  amount: number;
  /** ISO 4217, like USD. */
  currency: string;
  /** True while it is the estimate made at creation (the task has not ended). */
  estimated: boolean;
}

/** What the task cost, when known (null: not known, shown as nothing or "price unknown", and sorted last). */
export function costOf(task: TaskView): TaskCost | null {
  const c = task.cost;
  if (!c || c.currency == null) return null;
  const amount = c.actual ?? c.estimate;
  return amount != null && Number.isFinite(amount) ? { amount, currency: c.currency, estimated: c.actual == null } : null;
}

/** The task has a cost record but no known price (its model has none in the catalog). */
export function priceUnknown(task: TaskView): boolean {
  return task.cost != null && task.cost.estimate == null && task.cost.actual == null;
}

export function formatCost(cost: { amount: number; currency: string }, language: string): string {
  return formatMoney(cost.amount, cost.currency, language);
}

export function formatMoney(amount: number, currency: string, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount);
}
