// Making new tasks: a record checked against the provider's catalog and priced from it, then admitted by
// the dispatcher (sent now, held, or refused for the budget), stored, and only then announced and sent.
// createTask, retry, remix and createBatch all come through here.
import { AppError } from '@shared/contract/errors';
import type { TaskView } from '@shared/contract/task';
import type { Clock } from '../clock';
import { costAtCreation } from '../budget/task-cost';
import type { Admission, Dispatcher } from '../budget/dispatcher';
import { checkCreation, findModel } from '../providers/catalog/model-catalog';
import { defaultModel } from '../providers/catalog/profile-catalog';
import type { TaskRecord } from './record';
import type { TaskRecords } from './service-records';
import type { ProviderLookup } from './service-types';

export type NewFields = Partial<TaskRecord> & Pick<TaskRecord, 'providerId' | 'prompt'>;

export interface CreationsDeps {
  providers: ProviderLookup;
  clock: Clock;
  newId: () => string;
  records: Pick<TaskRecords, 'insert' | 'remove'>;
  dispatcher: Dispatcher;
  /** Announces a stored new task and, unless it is held, sends it upstream, after the reply has gone out. */
  announce(view: TaskView, userId: string, send: boolean): void;
}

export interface Creations {
  newRecord(userId: string, fields: NewFields): TaskRecord;
  /**
   * The model a creation goes to (the catalog's first when it names none) after checking it against the
   * catalog: a value outside the model's entry is BAD_REQUEST naming the allowed ones, before anything is
   * stored or sent. A model the catalog does not know goes as given.
   */
  checkedModel(providerId: string, f: { model: string | null; seconds: string | null; size: string | null; hasImage: boolean }): string | null;
  /** A new task's record, priced from the catalog and given its place in the queue (not stored). */
  priced(userId: string, fields: NewFields): TaskRecord;
  /** Admits, stores (all or none) and announces new tasks, in order. */
  storeNew(recs: TaskRecord[], mode: Admission, userId: string): Promise<TaskView[]>;
}

export function createCreations(d: CreationsDeps): Creations {
  const nowIso = () => new Date(d.clock.now()).toISOString();

  function newRecord(userId: string, fields: NewFields): TaskRecord {
    const now = nowIso();
    return {
      videoId: d.newId(), externalId: null, status: 'PENDING', progress: 0, model: null, seconds: null, size: null,
      videoUrl: null, localPath: null, thumbnailUrl: null, error: null, errorCode: null, createdAt: now, updatedAt: now,
      completedAt: null, expiresAt: null, remixOf: null, submitState: 'unsent', submitStartedAt: null,
      inputReference: null, notFoundCount: 0, faultCount: 0, upstreamCancel: null, userId, ...fields,
    };
  }

  const catalogOf = (providerId: string) => d.providers.get(providerId)?.models ?? [];

  return {
    newRecord,

    checkedModel(providerId, f) {
      const catalog = catalogOf(providerId);
      const entry = f.model ? findModel(catalog, f.model) : defaultModel(catalog);
      checkCreation(entry, { seconds: f.seconds, size: f.size, hasImage: f.hasImage });
      return f.model ?? entry?.id ?? null;
    },

    priced(userId, fields) {
      const entry = findModel(catalogOf(fields.providerId), fields.model ?? null);
      const cost = costAtCreation(entry, fields.seconds ?? null, fields.size ?? null);
      return newRecord(userId, { cost, queueSeq: d.dispatcher.nextSeq(), ...fields });
    },

    async storeNew(recs, mode, userId) {
      const holds = d.dispatcher.admit(recs, mode);
      const held = recs.map((r, i) => ({ ...r, holdReason: holds[i] }));
      // Each put takes memory at once; the writes share the store's group commit.
      const stored = await Promise.allSettled(held.map((r) => d.records.insert(r)));
      const failed = stored.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        // All or none: what did land goes again, and nothing of it was announced or sent.
        await Promise.all(held.map((r, i) => (stored[i].status === 'fulfilled' ? d.records.remove(r.videoId).catch(() => undefined) : undefined)));
        for (const r of held) d.dispatcher.forget(r.videoId);
        throw failed.reason instanceof AppError ? failed.reason : new AppError('INTERNAL', 'The tasks were not created and nothing was sent to the provider');
      }
      const views = stored.map((s) => (s as PromiseFulfilledResult<TaskView>).value);
      views.forEach((view, i) => d.announce(view, userId, held[i].holdReason == null));
      return views;
    },
  };
}
