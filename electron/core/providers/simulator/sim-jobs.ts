// The simulator's jobs: each one's status and progress follow from the clock, so there is no timer
// to run or to stop. Views are VideoResource objects as the official schema defines them.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';

export const VIDEO_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
export const VIDEO_SECONDS = ['4', '8', '12'] as const;
const EXPIRY_S = 24 * 3600;

export interface SimJob {
  id: string;
  prompt: string;
  model: string;
  size: string;
  seconds: string;
  createdAtMs: number;
  remixOf: string | null;
  /** Set when the job is to fail halfway. */
  failure: { code: string; message: string } | null;
  /** "[slow]" in the prompt: it never finishes. */
  slow: boolean;
}

export interface VideoResource {
  id: string;
  object: 'video';
  model: string;
  status: string;
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  prompt: string | null;
  size: string;
  seconds: string;
  remixed_from_video_id: string | null;
  error: { code: string; message: string } | null;
}

export class SimJobs {
  private readonly jobs = new Map<string, SimJob>();

  constructor(private readonly clock: Clock, private readonly durationMs: number) {}

  create(input: { prompt: string; model: string; size: string; seconds: string; remixOf?: string | null }, forcedFailure: SimJob['failure']): SimJob {
    const failure = /\[fail\]/i.test(input.prompt)
      ? { code: 'video_generation_failed', message: 'The demo simulator failed this job because its prompt contains [fail].' }
      : forcedFailure;
    const job: SimJob = {
      id: `video_${randomBytes(12).toString('hex')}`,
      ...input,
      remixOf: input.remixOf ?? null,
      createdAtMs: this.clock.now(),
      failure,
      slow: /\[slow\]/i.test(input.prompt),
    };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): SimJob | undefined {
    return this.jobs.get(id);
  }

  delete(id: string): boolean {
    return this.jobs.delete(id);
  }

  /** Newest first for `desc` (insertion order breaks ties); `after` is exclusive. */
  list(opts: { limit: number; after?: string; order: 'asc' | 'desc' }): { page: SimJob[]; hasMore: boolean } {
    const all = [...this.jobs.values()];
    if (opts.order === 'desc') all.reverse();
    const start = opts.after ? all.findIndex((j) => j.id === opts.after) + 1 : 0;
    // An unknown `after` gives an empty page rather than starting over.
    if (opts.after && start === 0) return { page: [], hasMore: false };
    const page = all.slice(start, start + opts.limit);
    return { page, hasMore: start + opts.limit < all.length };
  }

  view(job: SimJob, statusOverride: string | null): VideoResource {
    const elapsed = this.clock.now() - job.createdAtMs;
    const queuedMs = this.durationMs * 0.1;
    const progressAt = (ms: number) => Math.max(1, Math.min(99, Math.floor(((ms - queuedMs) / (this.durationMs - queuedMs)) * 100)));
    let status: string;
    let progress: number;
    let completedAtMs: number | null = null;
    let error: VideoResource['error'] = null;
    if (elapsed < queuedMs) {
      status = 'queued';
      progress = 0;
    } else if (job.failure && elapsed >= this.durationMs / 2) {
      status = 'failed';
      progress = progressAt(this.durationMs / 2);
      error = { ...job.failure };
    } else if (job.slow) {
      status = 'in_progress';
      progress = Math.min(90, progressAt(elapsed));
    } else if (elapsed >= this.durationMs) {
      status = 'completed';
      progress = 100;
      completedAtMs = job.createdAtMs + this.durationMs;
    } else {
      status = 'in_progress';
      progress = progressAt(elapsed);
    }
    const completedAt = completedAtMs == null ? null : Math.floor(completedAtMs / 1000);
    return {
      id: job.id,
      object: 'video',
      model: job.model,
      status: statusOverride ?? status,
      progress,
      created_at: Math.floor(job.createdAtMs / 1000),
      completed_at: completedAt,
      expires_at: completedAt == null ? null : completedAt + EXPIRY_S,
      prompt: job.prompt,
      size: job.size,
      seconds: job.seconds,
      remixed_from_video_id: job.remixOf,
      error,
    };
  }

  isCompleted(job: SimJob): boolean {
    return this.view(job, null).status === 'completed';
  }
}
