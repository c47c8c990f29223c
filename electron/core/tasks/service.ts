// The task service, put together. Doors call it through handlers.ts; the poller drives it by time.
// Where things are:
// - service-commands.ts: what clients ask (create, track, get, list, status, cancel, delete, retry, remix, stats);
// - service-polling.ts: one shared upstream status call per task (for clients and the poller alike);
// - submit.ts: sending a creation without ever paying twice, and reconciling one whose outcome is unknown;
// - service-records.ts: store first, announce after, and the record listeners;
// - provider-gate.ts: every upstream API call waits its turn per provider.
// This file builds the provider clients, owns the background work started after a reply, and exposes it all
// as one TaskService.
import { randomUUID } from 'node:crypto';
import type { TaskView } from '@shared/contract/task';
import { findModel } from '../providers/catalog/model-catalog';
import { createProviderClient } from '../providers/create-provider-client';
import type { ProviderClient, ProviderConnection } from '../providers/provider-client';
import { removeKeptVideo } from '../library/library-file';
import { createTypicalDurations } from './progress-eta';
import { redactedClient } from '../providers/redacted-client';
import { createProviderGate, gatedClient, INTERACTIVE_MAX_WAIT_MS, providerLimits, type GatePriority } from './provider-gate';
import type { TaskRecord } from './record';
import { createTaskCommands } from './service-commands';
import { createTaskPolling } from './service-polling';
import { createTaskRecords } from './service-records';
import type { TaskService, TaskServiceDeps } from './service-types';
import { createSubmitter } from './submit';
import { createUpstreamCanceller } from './upstream-cancel';
import { openBatchStore } from '../budget/batch-store';
import { createBatchService } from '../budget/batches';
import { createDispatcher } from '../budget/dispatcher';
import { SpendLedger } from '../budget/spend-ledger';
import { createCreations } from './creations';

/** Finished jobs read at start to learn each model's typical duration from. */
const TYPICAL_SEED_JOBS = 500;

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { store, providers, settings, hub, clock, logger } = deps;
  const clientFor = deps.clientFor ?? ((conn: ProviderConnection) => createProviderClient(conn, { logger, clock }));
  const newId = deps.newId ?? (() => `vid_${randomUUID().replace(/-/g, '')}`);
  const background = new Set<Promise<unknown>>();
  const gate = deps.gate ?? createProviderGate({ clock, limits: providerLimits(providers) });
  const records = createTaskRecords({ store, hub, logger });
  const { update } = records;
  // Typical durations are learned from the newest finished jobs at start, then from each one that finishes.
  const durations = createTypicalDurations();
  for (const rec of store.list({ status: 'COMPLETED', limit: TYPICAL_SEED_JOBS }).tasks.reverse()) durations.learn(rec);
  records.onRecord((_id, rec) => rec && durations.learn(rec));
  const typicalMs = (rec: TaskRecord) => durations.typical(rec.providerId, rec.model);

  /**
   * The bare client: its every API call here is wrapped in gate.run. Every upstream call of the service
   * (and so of the library, the media route and testProvider) starts here, so this is where the keys
   * come out of what the upstream writes.
   */
  async function connect(providerId: string): Promise<{ client: ProviderClient; conn: ProviderConnection }> {
    const conn = await providers.connection(providerId);
    return { client: redactedClient(clientFor(conn), conn.apiKey), conn };
  }

  async function clientForProvider(providerId: string, priority: GatePriority = 'interactive') {
    const { client, conn } = await connect(providerId);
    const patience = priority === 'interactive' ? { maxWaitMs: INTERACTIVE_MAX_WAIT_MS } : {};
    return { client: gatedClient(client, gate, providerId, priority, patience), conn };
  }

  const canceller = createUpstreamCanceller({ connect, gate, records, clock, logger });
  const submitter = createSubmitter({
    store, clock, logger, hub, connect, gate, update, canceller,
    modelEntry: (providerId, model) => findModel(providers.get(providerId)?.models ?? [], model),
    reconcile: { pageSize: deps.reconcile?.pageSize ?? 100, pages: deps.reconcile?.pages ?? 3, windowMs: deps.reconcile?.windowMs ?? 10 * 60_000 },
    typicalMs,
  });
  const polling = createTaskPolling({ store, settings, hub, clock, logger, connect, gate, update, typicalMs });

  /** Runs after the current reply has gone out; tracked so idle() can wait for it. */
  function later(fn: () => Promise<unknown>): void {
    const p = new Promise<void>((resolve) => setImmediate(resolve)).then(fn).catch((err) => logger.error('background step failed', { err }));
    background.add(p);
    void p.finally(() => background.delete(p));
  }

  // Spending and holds: the ledger is derived from the stored tasks; the dispatcher decides what may be sent.
  const ledger = new SpendLedger(store, () => clock.now());
  const batchStore = openBatchStore(deps.dataDir ?? null, logger);
  const dispatcher = createDispatcher({
    store, records, providers, settings, ledger, hub, clock, logger,
    isPaused: (batchId) => batchStore.isPaused(batchId),
    release: (videoId) => later(() => submitter.submit(videoId, 'background')),
  });
  const creations = createCreations({
    providers, clock, newId, records, dispatcher,
    announce(view: TaskView, userId: string, send: boolean) {
      later(async () => {
        hub.publishTask(userId, view);
        // The reply is out; the creation now waits in the gate as long as the provider's caps require.
        if (send) await submitter.submit(view.videoId, 'interactive');
      });
    },
  });

  const commands = createTaskCommands({
    store, providers, settings, hub, clock, records, polling, canceller, creations,
    removeVideoFile: deps.removeVideoFile ?? removeKeptVideo,
    announceAndPoll(view: TaskView, userId: string) {
      later(async () => {
        hub.publishTask(userId, view);
        await polling.pollTask(view.videoId, 'interactive');
      });
    },
  });

  const batches = createBatchService({
    store, records, creations, dispatcher, providers, settings, hub, clock, logger, newId, batches: batchStore,
    cancelTask: (videoId) => commands.cancelTask(videoId),
  });

  return {
    ...commands,
    ...batches,
    getSpend: (q) => ledger.spend(q),
    reconsiderHolds: () => dispatcher.reconsider(),
    batchesProblem: batchStore.problem,
    pollTask: (videoId, priority) => polling.pollTask(videoId, priority),
    submitTask: (videoId, priority) => submitter.submit(videoId, priority),
    reconcileTask: (videoId, priority) => submitter.reconcile(videoId, priority),
    isSubmitting: (videoId) => submitter.isSubmitting(videoId),
    waitBeforeSending: (videoId) => submitter.waitBeforeSending(videoId),
    clientForProvider,
    onRecord: (listener) => records.onRecord(listener),
    async idle() {
      while (background.size) {
        await Promise.allSettled([...background]);
        await dispatcher.idle();
      }
      await dispatcher.idle();
    },
    close: () => {
      dispatcher.close();
      gate.close();
      void batchStore.close();
    },
  };
}
