// How the task service changes a stored task: store first, announce after. A client never sees a task
// that is not durable, and every stored change reaches the record listeners (the poller, the library).
import { AppError } from '@shared/contract/errors';
import type { TaskView } from '@shared/contract/task';
import { withEndSettled } from '../budget/task-cost';
import type { Logger } from '../log';
import type { Hub } from '../server/door-types';
import { toView, type TaskRecord } from './record';
import { recordChanged, viewChanged } from './service-apply';
import type { TaskStore } from './task-store';

export type RecordListener = (videoId: string, rec: TaskRecord | undefined) => void;

export interface TaskRecords {
  /** Read-modify-write of one record; stores durably, then pushes when the view changed. */
  update(videoId: string, change: (r: TaskRecord) => TaskRecord | null): Promise<TaskRecord | undefined>;
  /** Stores a new record; undone when it cannot be made durable. Not pushed: the caller announces it. */
  insert(rec: TaskRecord): Promise<TaskView>;
  /** Deletes a record and tells the listeners. */
  remove(videoId: string): Promise<void>;
  onRecord(listener: RecordListener): () => void;
}

export function createTaskRecords(deps: { store: TaskStore; hub: Hub; logger: Logger }): TaskRecords {
  const { store, hub, logger } = deps;
  const listeners = new Set<RecordListener>();

  const emit = (videoId: string, rec: TaskRecord | undefined) => {
    for (const l of listeners) {
      try {
        l(videoId, rec);
      } catch (err) {
        logger.error('record listener failed', { err: err as Error });
      }
    }
  };

  /** Waits out failed batches until one is written; announces the change if it is still the task's state. */
  const announceWhenWritten = async (videoId: string, rec: TaskRecord, announce: () => void) => {
    for (;;) {
      try {
        await store.nextWrite();
        break;
      } catch (err) {
        if (/closed/.test(String(err))) return;
      }
    }
    // A later change of the same task announces itself.
    const now = store.get(videoId);
    if (now && !recordChanged(now, rec)) announce();
  };

  return {
    async update(videoId, change) {
      const cur = store.get(videoId);
      if (!cur) return undefined;
      const changed = change(cur);
      // A task that has just ended gets what it cost, and waits for nothing any more.
      const next = changed && withEndSettled(cur, changed);
      if (!next || !recordChanged(cur, next)) return cur;
      const announce = () => {
        emit(videoId, next);
        if (viewChanged(cur, next)) hub.publishTask(next.userId, toView(next));
      };
      try {
        await store.put(next);
      } catch (err) {
        // The change stays in memory and the store writes it once it can (a full disk freed): announce it
        // then, so no client keeps believing the refusal of a change that did land.
        void announceWhenWritten(videoId, next, announce);
        const why = err instanceof Error ? err.message : String(err);
        throw new AppError('INTERNAL', `${why}. The change is kept and will be saved, and shown, once it can be written.`, videoId);
      }
      announce();
      return next;
    },

    async insert(rec) {
      try {
        await store.put(rec);
      } catch (err) {
        // Not durable, so not created: take it back out, or a later batch would store (and the poller send)
        // a task its creator was told had failed, and a second attempt would pay twice.
        await store.delete(rec.videoId).catch(() => undefined);
        const why = err instanceof Error ? err.message : String(err);
        throw new AppError('INTERNAL', `The task was not created and nothing was sent to the provider: ${why}`);
      }
      emit(rec.videoId, rec);
      return toView(rec);
    },

    async remove(videoId) {
      await store.delete(videoId);
      emit(videoId, undefined);
    },

    onRecord(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
