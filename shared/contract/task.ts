import { z } from 'zod';
import { TaskCostSchema } from './cost';
import { TaskStatusSchema } from './status';
import { HOLD_REASONS } from './values';

const iso = z.string();

/**
 * What a Cancel did upstream: `confirmed` the upstream stopped the job (and its billing); `unconfirmed` it
 * was asked and did not confirm (the job may still run); `unsupported` the API cannot cancel (the job still
 * runs and is billed upstream); `not-sent` nothing had reached the upstream.
 */
export const UPSTREAM_CANCEL = ['confirmed', 'unconfirmed', 'unsupported', 'not-sent'] as const;
export const UpstreamCancelSchema = z.enum(UPSTREAM_CANCEL);
export type UpstreamCancel = z.infer<typeof UpstreamCancelSchema>;
/** One progress value the upstream reported, and when. */
export const ProgressSampleSchema = z.object({ at: iso, progress: z.number().int().min(0).max(100) });
export type ProgressSample = z.infer<typeof ProgressSampleSchema>;

/** What an ETA is based on: the recent rate of progress, or the model's typical duration. */
export const ETA_BASES = ['progress', 'typical'] as const;
export type EtaBasis = (typeof ETA_BASES)[number];

/** What every client sees of a task. It never holds a secret. */
export const TaskViewSchema = z.object({
  videoId: z.string(),
  externalId: z.string().nullable(),
  providerId: z.string(),
  status: TaskStatusSchema,
  progress: z.number().int().min(0).max(100),
  prompt: z.string(),
  model: z.string().nullable(),
  seconds: z.string().nullable(),
  size: z.string().nullable(),
  videoUrl: z.string().nullable(),
  localPath: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
  completedAt: iso.nullable(),
  expiresAt: iso.nullable(),
  remixOf: z.string().nullable(),
  /** Set when the task was cancelled: what the cancel did upstream (null, or absent from older senders, otherwise). */
  upstreamCancel: UpstreamCancelSchema.nullable().optional(),
  /** Active tasks: the last few progress values the upstream reported (oldest first); empty once finished or where the upstream gives none. */
  progressHistory: z.array(ProgressSampleSchema),
  /** Active tasks: when the job should be done, and from what that is estimated; null when unknown. */
  etaAt: iso.nullable(),
  etaBasis: z.enum(ETA_BASES).nullable(),
  /** Jobs ahead of this one in the upstream's queue, where the upstream says. */
  queuePosition: z.number().int().min(0).nullable(),
  /** What it is expected to cost and, once ended, what it cost (null, or absent from older senders: not known). */
  cost: TaskCostSchema.nullable().optional(),
  /** The batch it belongs to (null, or absent from older senders: none). */
  batchId: z.string().nullable().optional(),
  /** PENDING and held on this machine, unsent: why (null, or absent from older senders: not held). */
  holdReason: z.enum(HOLD_REASONS).nullable().optional(),
});
export type TaskView = z.infer<typeof TaskViewSchema>;

export const TaskStatsSchema = z.object({
  total: z.number().int(),
  byStatus: z.record(TaskStatusSchema, z.number().int()),
});
export type TaskStats = z.infer<typeof TaskStatsSchema>;
