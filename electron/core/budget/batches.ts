// Batches: many creations in one request. Every item is checked against its provider's catalog before
// anything is stored (a bad item refuses the whole batch, naming it), then all are stored in item order
// and admitted by the dispatcher: sent, or held for a slot, the budget or a pause (never failed for it).
// A batch's counts come from its tasks; a change is pushed as `batchUpdated`, once per batch per turn.
import { AppError } from '@shared/contract/errors';
import type { BatchView, CreateBatchPayload } from '@shared/contract/batch';
import { roundMoney } from '@shared/contract/cost-rules';
import { isTerminal, TASK_STATUSES, type TaskStatus } from '@shared/contract/status';
import type { TaskView } from '@shared/contract/task';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Hub } from '../server/door-types';
import type { Creations } from '../tasks/creations';
import type { TaskRecord } from '../tasks/record';
import type { TaskRecords } from '../tasks/service-records';
import type { ProviderLookup, SettingsSource } from '../tasks/service-types';
import type { TaskStore } from '../tasks/task-store';
import type { BatchRecord, BatchStore } from './batch-store';
import type { Dispatcher } from './dispatcher';

export interface BatchServiceDeps {
  store: TaskStore;
  records: Pick<TaskRecords, 'update' | 'onRecord'>;
  creations: Creations;
  dispatcher: Dispatcher;
  providers: ProviderLookup;
  settings: SettingsSource;
  hub: Pick<Hub, 'broadcast'>;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  batches: BatchStore;
  cancelTask(videoId: string): Promise<unknown>;
}

export interface BatchService {
  createBatch(userId: string, p: CreateBatchPayload): Promise<{ batch: BatchView; tasks: TaskView[] }>;
  listBatches(): BatchView[];
  pauseBatch(id: string): Promise<BatchView>;
  resumeBatch(id: string): Promise<BatchView>;
  cancelBatch(id: string): Promise<BatchView>;
  /** The batch's FAILED items not sent again yet, sent again as new tasks of it. */
  retryBatch(userId: string, id: string): Promise<BatchView>;
}

export function createBatchService(d: BatchServiceDeps): BatchService {
  const { store, batches } = d;
  const all = batches.batches;
  const batchOfTask = new Map<string, string>();
  for (const b of all.values()) for (const t of b.taskIds) batchOfTask.set(t, b.id);
  const dirty = new Set<string>();
  let flushQueued = false;

  function view(b: BatchRecord): BatchView {
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
    let held = 0, estimate = 0, unpriced = 0, total = 0, ended = 0, retryable = 0;
    const retried = new Set(b.retriedIds ?? []);
    let currency: string | null = null;
    for (const id of b.taskIds) {
      const t = store.get(id);
      if (!t) continue;
      total++;
      counts[t.status]++;
      if (isTerminal(t.status)) ended++;
      if (t.status === 'FAILED' && !retried.has(id)) retryable++;
      if (t.holdReason && t.status === 'PENDING') held++;
      if (t.cost?.estimate != null) estimate += t.cost.estimate;
      else unpriced++;
      currency ??= t.cost?.currency ?? null;
    }
    const state = b.cancelled ? 'cancelled' : ended === total ? 'done' : b.paused ? 'paused' : 'running';
    return { id: b.id, name: b.name, createdAt: b.createdAt, state, total, counts, held, estimate: roundMoney(estimate), currency, unpriced, retryable };
  }

  function requireBatch(id: string): BatchRecord {
    const b = all.get(id);
    if (!b) throw new AppError('NOT_FOUND', `No batch with id "${id}"`);
    return b;
  }

  function flushSoon(): void {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      for (const id of dirty) {
        const b = all.get(id);
        if (b) d.hub.broadcast('batchUpdated', { batch: view(b) });
      }
      dirty.clear();
    });
  }

  d.records.onRecord((videoId, rec) => {
    const batchId = rec?.batchId ?? batchOfTask.get(videoId);
    if (!batchId || !all.has(batchId)) return;
    dirty.add(batchId);
    flushSoon();
  });

  /** Items times variants as checked, priced task records of the batch (nothing stored yet). */
  function recordsFor(userId: string, batchId: string, items: CreateBatchPayload['items'], variants: number): TaskRecord[] {
    const defaultProviderId = d.settings.get().defaultProviderId;
    const out: TaskRecord[] = [];
    items.forEach((item, i) => {
      const providerId = item.providerId ?? defaultProviderId;
      try {
        if (!d.providers.get(providerId)) throw new AppError('NOT_FOUND', `No provider with id "${providerId}"`);
        const fields = { seconds: item.seconds ?? null, size: item.size ?? null };
        const model = d.creations.checkedModel(providerId, { model: item.model ?? null, ...fields, hasImage: false });
        for (let v = 0; v < variants; v++) out.push(d.creations.priced(userId, { providerId, prompt: item.prompt, model, ...fields, batchId }));
      } catch (err) {
        if (err instanceof AppError) throw new AppError(err.code, `item ${i + 1}: ${err.message}`);
        throw err;
      }
    });
    return out;
  }

  return {
    async createBatch(userId, p) {
      const id = `batch_${d.newId().replace(/^vid_/, '')}`;
      const recs = recordsFor(userId, id, p.items, p.variants ?? 1);
      const b: BatchRecord = { id, name: p.name || null, createdAt: new Date(d.clock.now()).toISOString(), paused: false, cancelled: false, taskIds: recs.map((r) => r.videoId) };
      // The batch first: a stored task's batchId always names a stored batch.
      all.set(id, b);
      for (const t of b.taskIds) batchOfTask.set(t, id);
      try {
        await d.batches.save();
      } catch (err) {
        all.delete(id);
        throw new AppError('INTERNAL', `The batch was not created and nothing was sent: ${(err as Error).message}`);
      }
      const tasks = await d.creations.storeNew(recs, 'batch', userId).catch(async (err: unknown) => {
        all.delete(id);
        await d.batches.save().catch(() => undefined);
        throw err;
      });
      d.logger.info('batch created', { batchId: id, tasks: tasks.length, held: tasks.filter((t) => t.holdReason).length });
      return { batch: view(b), tasks };
    },

    listBatches: () => [...all.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).map(view),

    async pauseBatch(id) {
      const b = requireBatch(id);
      if (b.cancelled) throw new AppError('CONFLICT', 'The batch was cancelled');
      b.paused = true;
      await d.batches.save();
      // What is not sent yet stays here; what is in flight runs to its end.
      await Promise.all(b.taskIds.map((t) => d.records.update(t, (r) =>
        r.status === 'PENDING' && r.submitState === 'unsent' && r.holdReason !== 'paused' ? { ...r, holdReason: 'paused' } : null)));
      d.dispatcher.reconsider();
      return view(b);
    },

    async resumeBatch(id) {
      const b = requireBatch(id);
      if (b.cancelled) throw new AppError('CONFLICT', 'The batch was cancelled');
      b.paused = false;
      await d.batches.save();
      d.dispatcher.reconsider();
      return view(b);
    },

    async cancelBatch(id) {
      const b = requireBatch(id);
      b.cancelled = true;
      b.paused = false;
      await d.batches.save();
      for (const t of b.taskIds) {
        const rec = store.get(t);
        if (!rec || isTerminal(rec.status)) continue;
        await d.cancelTask(t).catch((err: unknown) => d.logger.warn('cancelling a batch task failed', { videoId: t, err: err as Error }));
      }
      return view(b);
    },

    async retryBatch(userId, id) {
      const b = requireBatch(id);
      const retried = new Set(b.retriedIds ?? []);
      const failed = b.taskIds.map((t) => store.get(t)).filter((r): r is TaskRecord => r?.status === 'FAILED' && !retried.has(r.videoId));
      if (failed.length === 0) return view(b);
      const recs = failed.map((src) => d.creations.priced(userId, {
        providerId: src.providerId, prompt: src.prompt, model: src.model, seconds: src.seconds, size: src.size, batchId: id,
      }));
      b.cancelled = false;
      b.retriedIds = [...retried, ...failed.map((r) => r.videoId)];
      b.taskIds.push(...recs.map((r) => r.videoId));
      for (const r of recs) batchOfTask.set(r.videoId, id);
      await d.batches.save();
      await d.creations.storeNew(recs, 'batch', userId);
      return view(b);
    },
  };
}
