// Following one task until it ends: the task's room (`subscribe_task`: its current state, then every
// change, and the poller looks at watched tasks first), over the link the command already has.
import type { ContractClient } from '@shared/client/contract-client';
import { isTerminal, STATUS_RANK } from '@shared/contract/values';
import type { TaskView } from '@shared/contract/task';
import { CLI_EXIT, CliError } from './cli-errors';

export interface FollowOptions {
  /** Every state seen, oldest first (a state older than one already seen is skipped). */
  onUpdate(task: TaskView): void;
  /** Ctrl-C: stop following (the task goes on in the service). */
  signal: AbortSignal;
  /** When to stop (default: the task ended). */
  until?(task: TaskView): boolean;
  /** A notice that ends the wait too (a failed download of the task's video). */
  stopOnNotice?(notice: { code: string; videoId?: string }): boolean;
  /** Give up after this long and resolve with the last state. */
  limitMs?: number;
}

/** Ctrl-C during a wait. */
export const interrupted = () => new CliError(CLI_EXIT.interrupted, 'interrupted', 'INTERRUPTED');

/** A task is the same or newer than `seen`: pushes and the reply may cross. */
function notOlder(task: TaskView, seen: TaskView | null): boolean {
  if (!seen) return true;
  const byRank = STATUS_RANK[task.status] - STATUS_RANK[seen.status];
  return byRank !== 0 ? byRank > 0 : task.updatedAt >= seen.updatedAt;
}

/** Resolves with the task's state when `until` holds (or the limit passed); rejects when the link drops or on Ctrl-C. */
export function followTask(client: ContractClient, videoId: string, opts: FollowOptions): Promise<TaskView> {
  const until = opts.until ?? ((t: TaskView) => isTerminal(t.status));
  return new Promise<TaskView>((resolve, reject) => {
    let latest: TaskView | null = null;
    const cleanups: Array<() => void> = [];
    const settle = (fn: () => void) => {
      for (const c of cleanups.splice(0)) c();
      fn();
    };
    const fail = (err: unknown) => settle(() => reject(err));
    const consider = (task: TaskView) => {
      if (task.videoId !== videoId || !notOlder(task, latest)) return;
      latest = task;
      opts.onUpdate(task);
      if (until(task)) settle(() => resolve(task));
    };
    cleanups.push(client.onMessage((msg) => {
      if (msg.type === 'taskUpdated') consider(msg.payload);
      else if (msg.type === 'notice' && latest && opts.stopOnNotice?.(msg.payload)) {
        const last = latest;
        settle(() => resolve(last));
      }
    }));
    cleanups.push(client.onState((state) => {
      if (state === 'offline') fail(new CliError(CLI_EXIT.unreachable, `The connection to SoraDesk was lost while following ${videoId}; the task goes on there.`, 'OFFLINE'));
    }));
    if (opts.signal.aborted) return fail(interrupted());
    const onAbort = () => fail(interrupted());
    opts.signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => opts.signal.removeEventListener('abort', onAbort));
    if (opts.limitMs !== undefined) {
      const timer = setTimeout(() => settle(() => (latest ? resolve(latest) : reject(new Error(`no state of ${videoId}`)))), opts.limitMs);
      cleanups.push(() => clearTimeout(timer));
    }
    // The reply is the current state; it reaches `consider` through onMessage like every push.
    client.request('subscribe_task', { videoId }).catch(fail);
  });
}

/** A task that ended without a video, as the command reports it (exit 1): the provider's message and code. */
export function endedWithoutVideo(task: TaskView): CliError {
  const why = task.status === 'CANCELLED' ? 'the task was cancelled' : (task.error ?? 'no reason given');
  return new CliError(CLI_EXIT.failed, `${task.status} ${task.videoId}: ${why}${task.errorCode ? ` (${task.errorCode})` : ''}`, task.errorCode ?? task.status);
}
