// Faults the demo simulator can be told to show, switchable while it runs (tests, e2e checks).
// Request faults hit the next `times` requests (every request when `times` is absent); job faults
// change how jobs turn out. Prompt triggers ("[fail]", "[slow]") are always on and live in sim-jobs.
import { z } from 'zod';

const times = z.number().int().positive().optional();

export const SimFaultsSchema = z.object({
  /** 429 with this Retry-After (seconds or HTTP-date). */
  rateLimit: z.object({ retryAfter: z.string().min(1), times }).strict().nullable().optional(),
  /** 500. */
  serverError: z.object({ times }).strict().nullable().optional(),
  /** Never answers (the socket stays open until the simulator closes). */
  hang: z.object({ times }).strict().nullable().optional(),
  /** Does what was asked (a creation makes its job), then never answers: the answer is lost. */
  hangAfter: z.object({ times }).strict().nullable().optional(),
  /** 200 with a body that is not JSON. */
  garbage: z.object({ times }).strict().nullable().optional(),
  /** 401 for every request while true. */
  unauthorized: z.boolean().nullable().optional(),
  /** Jobs created while set fail halfway with this error. */
  failJobs: z.object({ message: z.string().min(1), code: z.string().min(1) }).strict().nullable().optional(),
  /** Every job reports this status word instead of its own. */
  unknownStatus: z.string().min(1).nullable().optional(),
}).strict();
export type SimFaults = z.infer<typeof SimFaultsSchema>;

export type RequestFault =
  | { kind: 'unauthorized' }
  | { kind: 'rateLimit'; retryAfter: string }
  | { kind: 'serverError' }
  | { kind: 'hang' }
  | { kind: 'hangAfter' }
  | { kind: 'garbage' };

const COUNTED = ['rateLimit', 'serverError', 'hang', 'hangAfter', 'garbage'] as const;

export class FaultSwitch {
  private state: SimFaults = {};

  /** Merges `patch` into the current faults; a key set to null is switched off. Throws on bad input. */
  set(patch: SimFaults): SimFaults {
    const parsed = SimFaultsSchema.parse(patch);
    const next: Record<string, unknown> = { ...this.state };
    for (const [k, v] of Object.entries(parsed)) {
      if (v === null || v === false) delete next[k];
      else if (v !== undefined) next[k] = typeof v === 'object' ? { ...v } : v;
    }
    this.state = next as SimFaults;
    return this.current();
  }

  clear(): void {
    this.state = {};
  }

  current(): SimFaults {
    return structuredClone(this.state);
  }

  /** The fault for the request now arriving, using up one of its `times`. */
  takeRequestFault(): RequestFault | null {
    if (this.state.unauthorized) return { kind: 'unauthorized' };
    for (const kind of COUNTED) {
      const f = this.state[kind];
      if (!f) continue;
      if (f.times !== undefined) {
        if (f.times <= 1) delete this.state[kind];
        else f.times -= 1;
      }
      return kind === 'rateLimit' ? { kind, retryAfter: (f as { retryAfter: string }).retryAfter } : { kind };
    }
    return null;
  }

  get failJobs(): { message: string; code: string } | null {
    return this.state.failJobs ?? null;
  }

  get unknownStatus(): string | null {
    return this.state.unknownStatus ?? null;
  }
}
