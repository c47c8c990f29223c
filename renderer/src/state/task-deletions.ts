// Deleting tasks with a few seconds to undo. How: the page takes the tasks out of view at once and
// sends the deleteTask requests only when the undo window has passed; Undo just puts them back, as
// nothing was sent. So Undo never needs the core to restore anything (a deleted task, and a deleted
// file, are gone for good), and other windows keep the tasks until the delete is sent. Leaving the
// page sends what is pending at once (flush), so a closed tab does not quietly keep tasks the user
// deleted.
import type { ContractClient } from '@shared/client/contract-client';
import type { NoticesModel } from './notices-model';
import type { TaskState } from './task-state';

/** How long a delete can be undone. */
export const UNDO_MS = 6000;
/** Deletes sent at once (a bulk delete of hundreds must not flood the socket). */
const PARALLEL = 8;

interface Batch {
  ids: string[];
  deleteFile: boolean;
  timer: ReturnType<typeof setTimeout>;
  toastId: number;
}

export class PendingDeletes {
  private readonly batches = new Map<number, Batch>();
  private seq = 0;

  constructor(
    private readonly client: ContractClient,
    private readonly view: TaskState,
    private readonly notices: NoticesModel,
    private readonly undoMs = UNDO_MS,
  ) {}

  /** Tasks waiting for their undo window to pass. */
  get pending(): number {
    let n = 0;
    for (const b of this.batches.values()) n += b.ids.length;
    return n;
  }

  /** Takes the tasks out of view now and deletes them when the undo window has passed. */
  start(videoIds: readonly string[], deleteFile = false): void {
    const ids = [...new Set(videoIds)].filter((id) => !this.view.isHidden(id));
    if (ids.length === 0) return;
    const n = ++this.seq;
    this.view.hide(ids);
    const first = this.view.get(ids[0]);
    const toastId = this.notices.toast('info', {
      ...(ids.length === 1 ? { key: 'toast.deletedOne', subject: first?.prompt } : { key: 'toast.deletedMany', vars: { n: ids.length } }),
      action: { key: 'toast.undo', run: () => this.undo(n) },
      ms: this.undoMs,
    });
    const timer = setTimeout(() => void this.send(n), this.undoMs);
    this.batches.set(n, { ids, deleteFile, timer, toastId });
  }

  /** Undo: nothing was sent, so the tasks simply come back. */
  undo(n: number): void {
    const b = this.batches.get(n);
    if (!b) return;
    clearTimeout(b.timer);
    this.batches.delete(n);
    this.notices.dismissToast(b.toastId);
    this.view.unhide(b.ids);
  }

  /** Sends every pending delete now (the page is going away). */
  async flush(): Promise<void> {
    await Promise.all([...this.batches.keys()].map((n) => this.send(n)));
  }

  private async send(n: number): Promise<void> {
    const b = this.batches.get(n);
    if (!b) return;
    clearTimeout(b.timer);
    this.batches.delete(n);
    this.notices.dismissToast(b.toastId);
    const failed: string[] = [];
    let reason: unknown = null;
    let next = 0;
    const worker = async () => {
      while (next < b.ids.length) {
        const videoId = b.ids[next++];
        try {
          await this.client.request('deleteTask', b.deleteFile ? { videoId, deleteFile: true } : { videoId });
          this.view.remove(videoId);
        } catch (err) {
          failed.push(videoId);
          reason ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, b.ids.length) }, worker));
    if (failed.length === 0) return;
    // What could not be deleted is shown again, with why.
    this.view.unhide(failed);
    this.notices.reportError(reason);
  }
}
