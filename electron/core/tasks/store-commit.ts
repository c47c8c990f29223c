// Group commit: changes join the pending batch; one batch is written at a time, `delayMs` after its
// first change, and only then are the callers' promises settled (resolved, or rejected with the
// batch's write error). After a failure the next batch retries with a growing delay.
import type { Clock } from '../clock';

const MAX_RETRY_DELAY_MS = 5000;

export interface GroupCommitOptions {
  clock: Clock;
  delayMs: number;
  /** Writes every change made so far; returns the error that stopped it, or null. */
  writeBatch(): Promise<Error | null>;
  /** Are there changes not yet written (e.g. left by a failed batch)? */
  hasPendingChanges(): boolean;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class GroupCommit {
  private waiters: Waiter[] = [];
  private timer: unknown = null;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(private readonly opts: GroupCommitOptions) {}

  /** Called after a change: settles once the batch holding it was written. */
  join(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Writes now, batch after batch, until nothing is pending; throws a batch's write error. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (!this.opts.hasPendingChanges() && this.waiters.length === 0) return;
      this.cancelTimer();
      const err = await this.commit();
      if (err) throw err;
    }
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private schedule(): void {
    if (this.timer !== null || this.writing || this.stopped) return;
    if (!this.opts.hasPendingChanges() && this.waiters.length === 0) return;
    const { clock, delayMs } = this.opts;
    const delay = this.failures === 0 ? delayMs : Math.min(MAX_RETRY_DELAY_MS, Math.max(delayMs, 50) * 2 ** this.failures);
    const handle = clock.setTimeout(() => {
      this.timer = null;
      void this.commit();
    }, delay);
    // Someone awaits durability: keep the process alive until it is on disk. A bare retry does not.
    if (this.waiters.length > 0) (handle as { ref?: () => void } | null)?.ref?.();
    this.timer = handle;
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private async commit(): Promise<Error | null> {
    let done!: () => void;
    this.writing = new Promise<void>((r) => (done = r));
    const waiters = this.waiters;
    this.waiters = [];
    let error: Error | null;
    try {
      error = await this.opts.writeBatch();
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    if (error) {
      this.failures++;
      for (const w of waiters) w.reject(error);
    } else {
      this.failures = 0;
      for (const w of waiters) w.resolve();
    }
    this.writing = null;
    done();
    this.schedule();
    return error;
  }
}
