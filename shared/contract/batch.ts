// Batches: many creations in one request, run in their order under the providers' maxActiveJobs and
// the budgets. Item order is creation order; a batch's tasks carry its id (TaskView.batchId).
import { z } from 'zod';
import { TASK_STATUSES } from './values';
import { BATCH_STATES, MAX_BATCH_TASKS, MAX_BATCH_VARIANTS, MAX_PROMPT_LENGTH, SECONDS_PATTERN, SIZE_PATTERN } from './values';

const seconds = z.union([z.string().regex(SECONDS_PATTERN), z.number().int().positive().max(9999)]).transform(String);

export const BatchItemSchema = z.object({
  prompt: z.string().trim().min(1, 'prompt is required').max(MAX_PROMPT_LENGTH),
  providerId: z.string().min(1).optional(),
  model: z.string().min(1).max(100).optional(),
  seconds: seconds.optional(),
  size: z.string().regex(SIZE_PATTERN, 'size must look like 1280x720').optional(),
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

export const CreateBatchPayloadSchema = z.object({
  name: z.string().trim().max(200).optional(),
  items: z.array(BatchItemSchema).min(1).max(MAX_BATCH_TASKS),
  /** Each item made this many times (default 1). */
  variants: z.number().int().min(1).max(MAX_BATCH_VARIANTS).optional(),
}).refine((p) => p.items.length * (p.variants ?? 1) <= MAX_BATCH_TASKS, `a batch makes at most ${MAX_BATCH_TASKS} tasks (items times variants)`);
export type CreateBatchPayload = z.infer<typeof CreateBatchPayloadSchema>;

export const BatchViewSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  createdAt: z.string(),
  state: z.enum(BATCH_STATES),
  /** Its tasks (retries of its failed items included). */
  total: z.number().int(),
  /** Tasks per status. */
  counts: z.record(z.enum(TASK_STATUSES), z.number().int()),
  /** PENDING tasks held on this machine (waiting for a slot, the budget or a resume). */
  held: z.number().int(),
  /** The tasks' estimates summed (tasks without a known price count 0: see `unpriced`). */
  estimate: z.number().nonnegative(),
  currency: z.string().nullable(),
  unpriced: z.number().int(),
  /** FAILED tasks not sent again yet (what retryBatch would send). */
  retryable: z.number().int(),
});
export type BatchView = z.infer<typeof BatchViewSchema>;
