// What a Cancel does upstream. Where the API can cancel (fal, Replicate) the cancel is sent, as a person
// waiting, and the task records whether the upstream confirmed it; where it cannot (openai, sora, Gemini) the
// job still runs and is billed upstream, and the task says so. A cancel that comes while the creation is in
// flight (no job id yet) is sent as soon as the job has one.
import type { UpstreamCancel } from '@shared/contract/task';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { CancelOutcome, ProviderClient } from '../providers/provider-client';
import { INTERACTIVE_MAX_WAIT_MS, type ProviderGate } from './provider-gate';
import type { TaskRecord } from './record';
import { stamp } from './service-apply';
import type { TaskRecords } from './service-records';

export interface UpstreamCancelDeps {
  connect(providerId: string): Promise<{ client: ProviderClient }>;
  gate: ProviderGate;
  records: Pick<TaskRecords, 'update'>;
  clock: Clock;
  logger: Logger;
}

export interface UpstreamCanceller {
  /**
   * Asks the upstream to stop the task's job. `finished`: it had already ended there, so the task should
   * follow the upstream to its end rather than be cancelled.
   */
  cancel(rec: TaskRecord): Promise<UpstreamCancel | 'finished'>;
  /** For a task cancelled while its creation was in flight, once the creation came back with a job id. */
  afterAccepted(rec: TaskRecord, client: ProviderClient): Promise<void>;
}

export function createUpstreamCanceller(d: UpstreamCancelDeps): UpstreamCanceller {
  async function send(rec: TaskRecord, client: ProviderClient, externalId: string): Promise<CancelOutcome | 'unconfirmed'> {
    try {
      return await d.gate.run(rec.providerId, 'interactive', () => client.cancel(externalId), { maxWaitMs: INTERACTIVE_MAX_WAIT_MS });
    } catch (err) {
      d.logger.warn('upstream cancel got no confirmation; the job may still run', { videoId: rec.videoId, message: (err as Error).message });
      return 'unconfirmed';
    }
  }

  return {
    async cancel(rec) {
      if (rec.status === 'PENDING' && rec.submitState === 'unsent') return 'not-sent';
      let client: ProviderClient;
      try {
        ({ client } = await d.connect(rec.providerId));
      } catch {
        return rec.externalId ? 'unconfirmed' : 'not-sent';
      }
      if (!client.supportsCancel) return 'unsupported';
      // The creation may be under way: its job has no id to cancel yet (afterAccepted sends it).
      if (!rec.externalId) return 'unconfirmed';
      return send(rec, client, rec.externalId);
    },

    async afterAccepted(rec, client) {
      if (rec.status !== 'CANCELLED' || rec.upstreamCancel !== 'unconfirmed' || !rec.externalId || !client.supportsCancel) return;
      const outcome = await send(rec, client, rec.externalId);
      d.logger.info('cancel sent for a job created while it was being cancelled', { videoId: rec.videoId, outcome });
      // `finished`: the job ended (and was billed) before the cancel came; that stays unconfirmed.
      if (outcome !== 'confirmed') return;
      await d.records.update(rec.videoId, (r) => (r.upstreamCancel === 'unconfirmed' ? stamp(r, { ...r, upstreamCancel: 'confirmed' }, d.clock.now()) : null));
    },
  };
}
