// The simulator's jobs, for every dialect: each one's phase and progress follow from the clock, so there
// is no timer to run or stop, and a job restored after a restart goes on where the clock says. The store
// is capped (by count and by the prompt text it keeps): the oldest jobs go first, so a flood of creations
// cannot grow it without bound.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { SimDialect } from './sim-http';

export const DEFAULT_MAX_JOBS = 500;
/** Characters of prompt text kept over all jobs (about 4 MB as UTF-16). */
export const DEFAULT_MAX_PROMPT_CHARS = 2_000_000;

const FailureSchema = z.object({ code: z.string(), message: z.string() }).strict();

export const SimJobSchema = z.object({
  id: z.string().min(1),
  dialect: z.enum(['openai', 'gemini', 'fal', 'replicate']),
  model: z.string(),
  prompt: z.string(),
  seconds: z.number().int().positive(),
  size: z.string(),
  createdAtMs: z.number(),
  remixOf: z.string().nullable(),
  failure: FailureSchema.nullable(),
  slow: z.boolean(),
  cancelledAtMs: z.number().nullable(),
  /** The name of the job's file on the media host (an unguessable token, as a signed URL would be). */
  media: z.string().min(1),
  /** The input as the client sent it (Replicate echoes it), data: URLs left out. */
  input: z.record(z.string(), z.unknown()).nullable(),
}).strict();
export type SimJob = z.infer<typeof SimJobSchema>;

export type Phase = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobState {
  phase: Phase;
  /** 0-100 */
  progress: number;
  startedAtMs: number | null;
  /** When it completed, failed or was cancelled. */
  endedAtMs: number | null;
}

export interface NewJob {
  dialect: SimDialect;
  id: string;
  model: string;
  prompt: string;
  seconds: number;
  size: string;
  remixOf?: string | null;
  input?: Record<string, unknown> | null;
}

export class SimJobs {
  private readonly jobs = new Map<string, SimJob>();
  private promptChars = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly durationMs: number,
    private readonly caps: { maxJobs: number; maxPromptChars: number } = { maxJobs: DEFAULT_MAX_JOBS, maxPromptChars: DEFAULT_MAX_PROMPT_CHARS },
  ) {}

  /** Called after every change (the store persists on it). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  get size(): number {
    return this.jobs.size;
  }

  get storedPromptChars(): number {
    return this.promptChars;
  }

  create(input: NewJob, forcedFailure: SimJob['failure']): SimJob {
    const failure = /\[fail\]/i.test(input.prompt)
      ? { code: 'video_generation_failed', message: 'The demo simulator failed this job because its prompt contains [fail].' }
      : forcedFailure;
    const job: SimJob = {
      id: input.id, dialect: input.dialect, model: input.model, prompt: input.prompt, seconds: input.seconds, size: input.size,
      createdAtMs: this.clock.now(), remixOf: input.remixOf ?? null, failure, slow: /\[slow\]/i.test(input.prompt),
      cancelledAtMs: null, media: randomBytes(16).toString('hex'), input: input.input ? withoutDataUrls(input.input) : null,
    };
    this.add(job);
    this.changed();
    return job;
  }

  get(dialect: SimDialect, id: string): SimJob | undefined {
    const job = this.jobs.get(key(dialect, id));
    return job?.dialect === dialect ? job : undefined;
  }

  byMedia(media: string): SimJob | undefined {
    for (const job of this.jobs.values()) if (job.media === media) return job;
    return undefined;
  }

  delete(dialect: SimDialect, id: string): boolean {
    const job = this.get(dialect, id);
    if (!job) return false;
    this.remove(job);
    this.changed();
    return true;
  }

  /** Stops a job that has not ended; false when it had already ended. */
  cancel(job: SimJob): boolean {
    const state = this.state(job);
    if (state.phase !== 'queued' && state.phase !== 'running') return false;
    job.cancelledAtMs = this.clock.now();
    this.changed();
    return true;
  }

  /** One dialect's jobs, newest first. */
  newestFirst(dialect: SimDialect): SimJob[] {
    return [...this.jobs.values()].filter((j) => j.dialect === dialect).reverse();
  }

  state(job: SimJob): JobState {
    const now = this.clock.now();
    const queuedMs = this.durationMs * 0.1;
    const startedAtMs = job.createdAtMs + queuedMs;
    const progressAt = (at: number) => Math.max(1, Math.min(99, Math.floor(((at - startedAtMs) / (this.durationMs - queuedMs)) * 100)));
    const failAt = job.failure ? job.createdAtMs + this.durationMs / 2 : Infinity;
    const doneAt = job.slow ? Infinity : job.createdAtMs + this.durationMs;
    const cancelAt = job.cancelledAtMs ?? Infinity;
    const endAt = Math.min(failAt, doneAt, cancelAt);
    if (now >= endAt) {
      const progress = endAt < startedAtMs ? 0 : progressAt(endAt);
      if (endAt === cancelAt) return { phase: 'cancelled', progress, startedAtMs: cancelAt < startedAtMs ? null : startedAtMs, endedAtMs: cancelAt };
      if (endAt === failAt) return { phase: 'failed', progress, startedAtMs, endedAtMs: failAt };
      return { phase: 'completed', progress: 100, startedAtMs, endedAtMs: doneAt };
    }
    if (now < startedAtMs) return { phase: 'queued', progress: 0, startedAtMs: null, endedAtMs: null };
    return { phase: 'running', progress: job.slow ? Math.min(90, progressAt(now)) : progressAt(now), startedAtMs, endedAtMs: null };
  }

  snapshot(): SimJob[] {
    return [...this.jobs.values()].map((j) => structuredClone(j));
  }

  /** Puts back what a snapshot held (oldest first), within the caps. */
  restore(jobs: SimJob[]): void {
    for (const job of jobs) this.add(job);
  }

  private add(job: SimJob): void {
    const k = key(job.dialect, job.id);
    const old = this.jobs.get(k);
    if (old) this.remove(old);
    this.jobs.set(k, job);
    this.promptChars += job.prompt.length;
    // Oldest first: Map keeps insertion order, which is creation order.
    for (const oldest of this.jobs.values()) {
      if (this.jobs.size <= this.caps.maxJobs && this.promptChars <= this.caps.maxPromptChars) break;
      if (oldest === job) break;
      this.remove(oldest);
    }
  }

  private remove(job: SimJob): void {
    if (this.jobs.delete(key(job.dialect, job.id))) this.promptChars -= job.prompt.length;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

const key = (dialect: SimDialect, id: string) => `${dialect}\u0000${id}`;

/** A data: URL is not kept (Replicate does not store one either); everything else is. */
function withoutDataUrls(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[k] = typeof v === 'string' && /^data:/i.test(v) ? '[data URL]' : v;
  return out;
}
