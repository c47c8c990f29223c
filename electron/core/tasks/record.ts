// The stored form of a task: the client view plus what only the service needs.
// It never holds a secret: keys live in the SecretStore, looked up by providerId.
import type { InputReference } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';

/**
 * Where the creation request stands, so a paid job is never submitted twice:
 * - `unsent`: not sent yet (or surely never reached the upstream); safe to send.
 * - `sending`: the POST may have left; if we find this at start-up or after a timeout, the outcome is unknown.
 * - `accepted`: the upstream answered with an id (stored in `externalId`).
 */
export type SubmitState = 'unsent' | 'sending' | 'accepted';

/** View fields that records stored by an older version do not have: toView fills them in. */
type LiveField = 'progressHistory' | 'etaAt' | 'etaBasis' | 'queuePosition';

const NO_HISTORY: TaskView['progressHistory'] = Object.freeze([]) as unknown as TaskView['progressHistory'];

export interface TaskRecord extends Omit<TaskView, LiveField>, Partial<Pick<TaskView, LiveField>> {
  submitState: SubmitState;
  /** When the last creation attempt started (ms), for reconciliation through the list endpoint. */
  submitStartedAt: number | null;
  inputReference: InputReference | null;
  /** Consecutive 404s from the upstream for this job. */
  notFoundCount: number;
  /** Consecutive transient faults, for backoff. */
  faultCount: number;
  /** User who owns it (single-user app: always "local"). */
  userId: string;
  /** Its place in the queue of creations (held tasks are released in this order); absent on older records. */
  queueSeq?: number;
}

export function toView(r: TaskRecord): TaskView {
  return {
    videoId: r.videoId,
    externalId: r.externalId,
    providerId: r.providerId,
    status: r.status,
    progress: r.progress,
    prompt: r.prompt,
    model: r.model,
    seconds: r.seconds,
    size: r.size,
    videoUrl: r.videoUrl,
    localPath: r.localPath,
    thumbnailUrl: r.thumbnailUrl,
    error: r.error,
    errorCode: r.errorCode,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    completedAt: r.completedAt,
    expiresAt: r.expiresAt,
    remixOf: r.remixOf,
    // Records stored before the field existed have none.
    upstreamCancel: r.upstreamCancel ?? null,
    // The same empty array for every task without one, so comparing views sees no change.
    progressHistory: r.progressHistory?.length ? r.progressHistory : NO_HISTORY,
    etaAt: r.etaAt ?? null,
    etaBasis: r.etaBasis ?? null,
    queuePosition: r.queuePosition ?? null,
    // Records stored before costs, batches and holds existed have none of them.
    cost: r.cost ?? null,
    batchId: r.batchId ?? null,
    holdReason: r.holdReason ?? null,
  };
}
