// Group commit as databases do it: the batch forms behind the flush, not behind a timer. A change made
// while no write is in flight is written at once (after the current turn of the event loop, so changes
// made together go together); changes made while a write and its fsync are under way form the next
// batch, written as soon as that one is done. Only when a batch is on disk are its callers' promises
// settled (resolved, or rejected with the batch's write error). After a failure the next batch waits a
// growing delay (a full disk is not retried in a hot loop).
import type { Clock } from '../clock';

const MAX_RETRY_DELAY_MS = 5000;
const FIRST_RETRY_DELAY_MS = 50;

export interface GroupCommitOptions {
  clock: Clock;
  /** Extra time to gather changes before a batch is written (default 0: none). */
  delayMs?: number;
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
  /** A batch is due: a clock timer (a delay or a retry) or an immediate (the next turn). */
  private due: { timer: unknown } | { immediate: NodeJS.Immediate } | null = null;
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
      this.cancelDue();
      const err = await this.commit();
      if (err) throw err;
    }
  }

  stop(): void {
    this.stopped = true;
    this.cancelDue();
  }

  private schedule(): void {
    if (this.due !== null || this.writing || this.stopped) return;
    if (!this.opts.hasPendingChanges() && this.waiters.length === 0) return;
    const wait = this.failures === 0 ? this.opts.delayMs ?? 0 : Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** this.failures);
    if (wait <= 0) {
      this.due = { immediate: setImmediate(() => this.fire()) };
      return;
    }
    const handle = this.opts.clock.setTimeout(() => this.fire(), wait);
    // Someone awaits durability: keep the process alive until it is on disk. A bare retry does not.
    if (this.waiters.length > 0) (handle as { ref?: () => void } | null)?.ref?.();
    this.due = { timer: handle };
  }

  private fire(): void {
    this.due = null;
    void this.commit();
  }

  private cancelDue(): void {
    if (this.due && 'timer' in this.due) this.opts.clock.clearTimeout(this.due.timer);
    if (this.due && 'immediate' in this.due) clearImmediate(this.due.immediate);
    this.due = null;
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
    // What arrived during this write is the next batch: written now (or after the retry delay).
    this.schedule();
    return error;
  }
}
