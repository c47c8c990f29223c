// What a task costs, the spending limits, and what getSpend answers. Amounts are plain numbers in the
// currency the catalog entry names (rounded to 1e-6 by the core); the rules are in cost-rules.ts.
import { z } from 'zod';
import { SPEND_GROUPS } from './values';

const amount = z.number().nonnegative();
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

/**
 * A task's cost: `estimate` made at creation from the catalog (null: the price is not known), `actual` once
 * the task ended (the estimate for a finished job, 0 for one the upstream does not bill; null while active).
 */
export const TaskCostSchema = z.object({
  estimate: amount.nullable(),
  actual: amount.nullable(),
  /** The catalog entry's currency; null when the model is not in the catalog. */
  currency: currency.nullable(),
});
export type TaskCost = z.infer<typeof TaskCostSchema>;

/** A spending limit per local day and per calendar month; null: none. */
export const BudgetSchema = z.object({
  dailyLimit: amount.max(1_000_000).nullable(),
  monthlyLimit: amount.max(1_000_000).nullable(),
}).strict();
export type Budget = z.infer<typeof BudgetSchema>;
export const NO_BUDGET: Budget = Object.freeze({ dailyLimit: null, monthlyLimit: null }) as Budget;

const isoTime = (field: string) =>
  z.string().max(40).refine((v) => Number.isFinite(Date.parse(v)), `${field} must be an ISO 8601 date or time, like 2026-11-29T00:00:00Z`);

export const GetSpendPayloadSchema = z.object({
  /** Spent at or after this time (the day a job was sent). */
  from: isoTime('from').nullish(),
  /** Spent before this time. */
  to: isoTime('to').nullish(),
  groupBy: z.enum(SPEND_GROUPS),
});
export type GetSpendPayload = z.infer<typeof GetSpendPayloadSchema>;

export const SpendRowSchema = z.object({
  /** The day (YYYY-MM-DD) or month (YYYY-MM) in the service's local time zone, the provider id, or the model. */
  key: z.string(),
  amount,
  currency: z.string(),
  /** Tasks that make up the amount (ended ones that cost something, and those in flight). */
  tasks: z.number().int().nonnegative(),
  /** The amount by provider (day and month rows: the chart stacks them). */
  byProvider: z.record(z.string(), amount).optional(),
});
export type SpendRow = z.infer<typeof SpendRowSchema>;

export const SpendSchema = z.object({
  /** One row per key and currency, in key order. */
  rows: z.array(SpendRowSchema),
  /** Every row summed, per currency: {"USD": 1.2}. */
  total: z.record(z.string(), amount),
  /** Of the total, what jobs still in flight are expected to cost (their estimates, reserved until they end). */
  reserved: z.record(z.string(), amount),
});
export type Spend = z.infer<typeof SpendSchema>;
