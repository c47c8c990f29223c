// What the task service needs from an upstream, whatever its dialect. Implementations:
// ./openai.ts and ./sora.ts over ./http.ts (axios).
import type { ErrorCode } from '@shared/contract/errors';
import type { InputReference } from '@shared/contract/messages';
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
}

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
    },
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
  get transient(): boolean { return this.opts.transient; }
  get reached(): Reached { return this.opts.reached; }
  get httpStatus(): number | undefined { return this.opts.httpStatus; }
  get retryAfterMs(): number | undefined { return this.opts.retryAfterMs; }
}

export interface ContentResponse {
  status: number;
  headers: Record<string, string>;
  body: NodeJS.ReadableStream;
}

export interface ProviderClient {
  readonly dialect: 'openai' | 'sora';
  create(input: CreateJobInput): Promise<UpstreamJob>;
  retrieve(externalId: string): Promise<UpstreamJob>;
  /** Recent jobs, newest first (openai only; sora throws UPSTREAM_ERROR "not supported"). */
  list(opts?: { limit?: number; after?: string }): Promise<{ jobs: UpstreamJob[]; hasMore: boolean; lastId: string | null }>;
  remove(externalId: string): Promise<void>;
  /** openai only. */
  remix(externalId: string, prompt: string): Promise<UpstreamJob>;
  readonly supportsRemix: boolean;
  readonly supportsList: boolean;
  /**
   * Streams a job's content (video or thumbnail). For openai: /v1/videos/{id}/content[?variant=thumbnail];
   * for a `videoUrl` on another origin it is fetched without the key. `range` is passed through.
   */
  fetchContent(job: { externalId: string; videoUrl: string | null }, variant: 'video' | 'thumbnail', range?: string): Promise<ContentResponse>;
}

export interface ProviderConnection {
  dialect: 'openai' | 'sora';
  baseUrl: string;
  /** Read from the SecretStore at call time; null when no key is set. */
  apiKey: string | null;
  timeoutMs?: number;
}
