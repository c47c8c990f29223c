// The slot for a task's cost ("cost when known"). The task view has no cost yet; the cost and budgets
// work (issue 9) fills this one function, and the card, the player and the gallery's sort follow.
import type { TaskView } from '@shared/contract/task';

export interface TaskCost {
  amount: number;
  /** ISO 4217, like USD. */
  currency: string;
}

/** What the task cost, when known (null: not known, shown as nothing and sorted last). */
export function costOf(task: TaskView): TaskCost | null {
  const c = (task as TaskView & { cost?: TaskCost | null }).cost;
  return c && Number.isFinite(c.amount) && typeof c.currency === 'string' ? c : null;
}

export function formatCost(cost: TaskCost, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: cost.currency, maximumFractionDigits: 2 }).format(cost.amount);
}
