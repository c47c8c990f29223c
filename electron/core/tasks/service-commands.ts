// What clients ask of the task service (createTask, trackTask, getTask, listTasks, requestTaskStatus,
// cancel, delete, retry, remix, stats): the task rules of the contract. A new task is stored before its
// creator hears of it; sending it upstream and polling it happen after the reply (service.ts wires that).
import { DIALECT_INFO } from '@shared/contract/dialects';
import { AppError } from '@shared/contract/errors';
import type { CreateTaskPayload } from '@shared/contract/messages';
import { isTerminal } from '@shared/contract/status';
import type { TaskView } from '@shared/contract/task';
import type { Clock } from '../clock';
import { UpstreamError } from '../providers/provider-client';
import type { Hub } from '../server/door-types';
import { INTERACTIVE_MAX_WAIT_MS } from './provider-gate';
import type { Creations, NewFields } from './creations';
import { toView, type TaskRecord } from './record';
import { FINISHED, stamp } from './service-apply';
import type { TaskPolling } from './service-polling';
import type { TaskRecords } from './service-records';
import type { ProviderLookup, SettingsSource, TaskService } from './service-types';
import type { TaskStore } from './task-store';
import type { UpstreamCanceller } from './upstream-cancel';

/** The TaskService methods a client's message ends in. */
export type TaskCommands = Pick<TaskService,
  'createTask' | 'trackTask' | 'getTask' | 'listTasks' | 'refreshTask' | 'cancelTask' | 'deleteTask' | 'retryTask' | 'remixTask' | 'getStats'>;

export interface TaskCommandsDeps {
  store: TaskStore;
  providers: ProviderLookup;
  settings: SettingsSource;
  hub: Hub;
  clock: Clock;
  records: TaskRecords;
  polling: TaskPolling;
  canceller: UpstreamCanceller;
  creations: Creations;
  /** Announces a newly tracked task and asks the upstream about it, after the reply has gone out. */
  announceAndPoll(view: TaskView, userId: string): void;
  /** Removes a kept video (and its thumbnail) from the library: deleteTask with deleteFile. */
  removeVideoFile(localPath: string): Promise<void>;
}

export function createTaskCommands(deps: TaskCommandsDeps): TaskCommands {
  const { store, providers, settings, hub, clock, records, polling, creations } = deps;
  const { checkedModel } = creations;
  const nowIso = () => new Date(clock.now()).toISOString();

  function requireTask(videoId: string): TaskRecord {
    const rec = store.get(videoId);
    if (!rec) throw new AppError('NOT_FOUND', `No task with videoId "${videoId}"`, videoId);
    return rec;
  }

  function requireProvider(providerId: string) {
    const provider = providers.get(providerId);
    if (!provider) throw new AppError('NOT_FOUND', `No provider with id "${providerId}"`);
    return provider;
  }

  function asAppError(err: Error, videoId: string): AppError {
    if (err instanceof AppError) return new AppError(err.code, err.message, videoId);
    if (err instanceof UpstreamError) return new AppError(err.code === 'NOT_FOUND' ? 'UPSTREAM_ERROR' : err.code, err.message, videoId);
    return new AppError('INTERNAL', 'internal error (see log)', videoId);
  }

  /** One task a person asked for: refused (BUDGET_EXCEEDED) rather than held when it would pass a limit. */
  async function createFrom(userId: string, fields: NewFields): Promise<TaskView> {
    const [view] = await creations.storeNew([creations.priced(userId, fields)], 'interactive', userId);
    return view;
  }

  return {
    async createTask(userId: string, p: CreateTaskPayload) {
      const providerId = p.providerId ?? settings.get().defaultProviderId;
      requireProvider(providerId);
      const fields = { seconds: p.seconds ?? null, size: p.size ?? null, inputReference: p.inputReference ?? null };
      const model = checkedModel(providerId, { model: p.model ?? null, ...fields, hasImage: fields.inputReference !== null });
      return createFrom(userId, { providerId, prompt: p.prompt, model, ...fields });
    },

    async trackTask(userId, p) {
      requireProvider(p.providerId);
      const existing = store.active().find((t) => t.providerId === p.providerId && t.externalId === p.externalId);
      if (existing) throw new AppError('CONFLICT', `That job is already tracked as "${existing.videoId}"`, existing.videoId);
      const rec = creations.newRecord(userId, { providerId: p.providerId, prompt: p.prompt ?? '', externalId: p.externalId, status: 'QUEUED', submitState: 'accepted' });
      const view = await records.insert(rec);
      deps.announceAndPoll(view, userId);
      return view;
    },

    getTask: (videoId) => toView(requireTask(videoId)),

    listTasks(q) {
      const page = store.list({ status: q.status, search: q.search, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor ?? null });
      return { tasks: page.tasks.map(toView), nextCursor: page.nextCursor, total: page.total, unfiltered: page.unfiltered };
    },

    async refreshTask(videoId) {
      const rec = requireTask(videoId);
      if (rec.status !== 'QUEUED' && rec.status !== 'PROCESSING') return toView(rec);
      const outcome = await polling.pollTask(videoId, 'interactive', INTERACTIVE_MAX_WAIT_MS);
      if (outcome.fault) throw asAppError(outcome.fault, videoId);
      // The fresh record, read after the update: never the one loaded before it.
      return toView(requireTask(videoId));
    },

    async cancelTask(videoId) {
      const rec = requireTask(videoId);
      if (rec.status === 'CANCELLED') return toView(rec);
      if (isTerminal(rec.status)) throw new AppError('CONFLICT', `The task is already ${rec.status} and cannot be cancelled`, videoId);
      // Where the API can cancel, the job is stopped there first; elsewhere tracking stops and the task
      // says the job still runs (and is billed) upstream.
      const upstream = await deps.canceller.cancel(rec);
      if (upstream === 'finished') {
        // It ended upstream before the cancel came: the task follows it to its end (a paid video is kept).
        await polling.pollTask(videoId, 'interactive', INTERACTIVE_MAX_WAIT_MS);
        return toView(requireTask(videoId));
      }
      const next = await records.update(videoId, (r) =>
        isTerminal(r.status) ? null : stamp(r, { ...r, status: 'CANCELLED', completedAt: nowIso(), ...FINISHED, upstreamCancel: upstream }, clock.now()),
      );
      return toView(next ?? requireTask(videoId));
    },

    async deleteTask(videoId, opts = {}) {
      const rec = requireTask(videoId);
      await records.remove(videoId);
      hub.broadcast('taskDeleted', { videoId });
      // The video is the user's: it goes only when asked, and a file that will not go is said, not hidden.
      if (opts.deleteFile && rec.localPath) {
        await deps.removeVideoFile(rec.localPath).catch((err: unknown) => {
          const why = err instanceof Error ? err.message : String(err);
          hub.broadcast('notice', { level: 'warning', code: 'FILE_NOT_DELETED', videoId, message: `The task was deleted, but its video file ${rec.localPath} could not be removed: ${why}` });
        });
      }
    },

    async retryTask(userId, videoId) {
      const src = requireTask(videoId);
      if (!isTerminal(src.status)) throw new AppError('CONFLICT', 'The task is still active; cancel it before retrying', videoId);
      requireProvider(src.providerId);
      // The catalog may have changed since: the same request is checked again.
      if (!src.remixOf) checkedModel(src.providerId, { model: src.model, seconds: src.seconds, size: src.size, hasImage: src.inputReference !== null });
      return createFrom(userId, {
        providerId: src.providerId, prompt: src.prompt, model: src.model, seconds: src.seconds, size: src.size,
        inputReference: src.inputReference, remixOf: src.remixOf,
      });
    },

    async remixTask(userId, videoId, prompt) {
      const src = requireTask(videoId);
      const provider = requireProvider(src.providerId);
      if (!DIALECT_INFO[provider.dialect].remix) throw new AppError('BAD_REQUEST', `remix is not supported by the ${provider.dialect} dialect`, videoId);
      if (src.status !== 'COMPLETED' || !src.externalId) throw new AppError('CONFLICT', 'Only a COMPLETED video can be remixed', videoId);
      return createFrom(userId, { providerId: src.providerId, prompt, model: src.model, seconds: src.seconds, size: src.size, remixOf: src.videoId });
    },

    getStats: () => store.stats(),
  };
}
