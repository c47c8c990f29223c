// What the task service needs from an upstream, whatever its dialect. Implementations:
// ./openai.ts, ./sora.ts, ./gemini.ts, ./fal.ts and ./replicate.ts, all over ./http.ts (axios).
import type { ProviderDialect } from '@shared/contract/dialects';
import type { ErrorCode } from '@shared/contract/errors';
import type { InputReference } from '@shared/contract/messages';
import type { ModelEntry } from '@shared/contract/model';
import type { TaskStatus } from '@shared/contract/status';

/** An upstream job, normalised. */
export interface UpstreamJob {
  externalId: string;
  /** null: a status word we do not know; the task stays as it is. */
  status: TaskStatus | null;
  rawStatus: string | null;
  progress: number | null;
  videoUrl: string | null;
  thumbnailUrl: string | null;
  error: string | null;
  errorCode: string | null;
  prompt: string | null;
  model: string | null;
  seconds: string | null;
  size: string | null;
  /** ms since epoch */
  createdAt: number | null;
  completedAt: number | null;
  expiresAt: number | null;
  remixOf: string | null;
  /** The upstream's hint for the next poll (openai-poll-after-ms), ms. */
  pollAfterMs: number | null;
  /** Jobs ahead of this one, where the upstream says (fal's queue_position). */
  queuePosition?: number | null;
}

export interface CreateJobInput {
  prompt: string;
  model?: string | null;
  seconds?: string | null;
  size?: string | null;
  inputReference?: InputReference | null;
  /** The model's catalog entry, when the catalog knows it: how the fields fill the model's input. */
  entry?: ModelEntry | null;
}

/**
 * What the upstream said to a cancel: `confirmed` it stops the job (and its billing); `finished` the
 * job had already ended there, so there was nothing left to stop.
 */
export type CancelOutcome = 'confirmed' | 'finished';

/**
 * Whether a failed request may have reached the upstream:
 * - `no`: surely not (connection refused, DNS failure, offline): safe to send again.
 * - `unknown`: it left and no answer came (timeout, reset): a creation must not be re-sent blindly.
 * - `yes`: the upstream answered.
 */
export type Reached = 'no' | 'unknown' | 'yes';

export class UpstreamError extends Error {
  constructor(
    /** A contract error code: UPSTREAM_ERROR, UPSTREAM_UNAUTHORIZED, RATE_LIMITED or NOT_FOUND. */
    readonly code: ErrorCode,
    message: string,
    readonly opts: {
      /** A fault that may pass (timeout, 5xx, 429, network, unparsable body). */
      transient: boolean;
      reached: Reached;
      httpStatus?: number;
      /** From Retry-After (seconds or HTTP-date), capped. */
      retryAfterMs?: number;
      /** The upstream's own words about it (key redacted), when it said any. */
      upstreamMessage?: string;
    },
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
  get transient(): boolean { return this.opts.transient; }
  get reached(): Reached { return this.opts.reached; }
  get httpStatus(): number | undefined { return this.opts.httpStatus; }
  get retryAfterMs(): number | undefined { return this.opts.retryAfterMs; }
  get upstreamMessage(): string | undefined { return this.opts.upstreamMessage; }
}

export interface ContentResponse {
  status: number;
  headers: Record<string, string>;
  body: NodeJS.ReadableStream;
}

export interface ListOptions {
  limit?: number;
  after?: string;
  /** Only jobs created at or after this time, where the upstream can filter (Replicate). */
  createdAfterMs?: number;
}

export interface ProviderClient {
  readonly dialect: ProviderDialect;
  create(input: CreateJobInput): Promise<UpstreamJob>;
  retrieve(externalId: string): Promise<UpstreamJob>;
  /**
   * Recent jobs, newest first (openai, Replicate; the others throw UPSTREAM_ERROR "not supported").
   * `after` is the previous page's `lastId`, whatever the dialect makes of it (an id, a cursor).
   */
  list(opts?: ListOptions): Promise<{ jobs: UpstreamJob[]; hasMore: boolean; lastId: string | null }>;
  remove(externalId: string): Promise<void>;
  /** openai only. */
  remix(externalId: string, prompt: string): Promise<UpstreamJob>;
  /** Asks the upstream to stop the job (fal, Replicate); the others throw UPSTREAM_ERROR "not supported". */
  cancel(externalId: string): Promise<CancelOutcome>;
  /** The models the provider names (openai relays, Gemini), as catalog entries of origin `listed`. */
  listModels(): Promise<ModelEntry[]>;
  /**
   * One harmless call that proves the upstream is there and takes the key (a list, or a made-up job it
   * answers "not found" for). Throws what the call met otherwise.
   */
  probe(): Promise<void>;
  readonly supportsRemix: boolean;
  readonly supportsList: boolean;
  readonly supportsCancel: boolean;
  readonly supportsModelList: boolean;
  /**
   * Streams a job's content (video or thumbnail). For openai: /v1/videos/{id}/content[?variant=thumbnail];
   * for a `videoUrl` on another origin it is fetched without the key. `range` is passed through.
   */
  fetchContent(job: { externalId: string; videoUrl: string | null }, variant: 'video' | 'thumbnail', range?: string): Promise<ContentResponse>;
}

export interface ProviderConnection {
  dialect: ProviderDialect;
  baseUrl: string;
  /** Read from the SecretStore at call time; null when no key is set. */
  apiKey: string | null;
  timeoutMs?: number;
  /** Names for origins (the built-in demo's stable name -> the simulator's port of this launch). */
  originAliases?: Readonly<Record<string, string>>;
}

/** A probe of a made-up job: "not found" means the upstream is there and let us in. */
export async function probeMadeUpJob(lookup: () => Promise<unknown>): Promise<void> {
  try {
    await lookup();
  } catch (err) {
    if (err instanceof UpstreamError && err.code === 'NOT_FOUND' && err.reached === 'yes') return;
    throw err;
  }
}

export function unsupported(dialect: ProviderDialect, what: string): UpstreamError {
  return new UpstreamError('UPSTREAM_ERROR', `the ${dialect} dialect does not support ${what}`, { transient: false, reached: 'no' });
}
