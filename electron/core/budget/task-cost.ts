// A task's cost on its record: estimated at creation from the provider's catalog, settled when the task
// ends (see cost-rules.ts for what an ended job costs). Everything about spending is derived from these.
import type { ModelEntry } from '@shared/contract/model';
import { actualCost, estimateCost } from '@shared/contract/cost-rules';
import { isTerminal } from '@shared/contract/status';
import type { TaskCost } from '@shared/contract/cost';
import type { TaskRecord } from '../tasks/record';

export function costAtCreation(entry: ModelEntry | null, seconds: string | null, size: string | null): TaskCost {
  const { estimate, currency } = estimateCost(entry, seconds, size);
  return { estimate, actual: null, currency };
}

/**
 * The record as it is stored when `next` is what a change made of `cur`: a task that has just ended gets
 * its actual cost and loses its hold (an ended task waits for nothing).
 */
export function withEndSettled(cur: TaskRecord, next: TaskRecord): TaskRecord {
  if (!isTerminal(next.status) || isTerminal(cur.status)) return next;
  let out = next;
  if (next.holdReason) out = { ...out, holdReason: null };
  const cost = next.cost;
  if (cost && cost.actual == null && (next.status === 'COMPLETED' || next.status === 'FAILED' || next.status === 'CANCELLED')) {
    out = { ...out, cost: { ...cost, actual: actualCost(cost.estimate, { status: next.status, upstreamCancel: next.upstreamCancel }) } };
  }
  return out;
}
