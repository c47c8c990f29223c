// The task, provider and settings messages of the local API, as one HandlerMap for the router.
// Payloads arrive validated by the router; errors thrown as AppError become `error` replies.
import { randomUUID } from 'node:crypto';
import { AppError } from '@shared/contract/errors';
import type { SaveProviderPayload } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { Settings, SettingsPatch } from '@shared/contract/settings';
import type { ProviderConnection, ProviderClient } from '../providers/provider-client';
import { UpstreamError } from '../providers/provider-client';
import type { HandlerMap, Hub } from '../server/door-types';
import type { TaskService } from './service-types';

/** How many upstream checks one batch request runs at once. */
export const BATCH_PARALLELISM = 8;

export interface ProviderAdmin {
  list(): ProviderView[];
  get(id: string): ProviderView | undefined;
  save(payload: SaveProviderPayload): Promise<ProviderView>;
  delete(id: string): Promise<void>;
  connection(id: string): Promise<ProviderConnection>;
}

export interface SettingsAdmin {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  onChange(listener: (s: Settings) => void): unknown;
}

const userOf = (userId: string | null) => userId ?? 'local';

/** One harmless call that proves the provider is reachable and takes the key. */
async function probe(client: ProviderClient): Promise<{ ok: boolean; message: string; code: string | null }> {
  try {
    if (client.supportsList) {
      await client.list({ limit: 1 });
    } else {
      await client.retrieve(`soradesk-connection-test-${randomUUID()}`);
    }
    return { ok: true, message: 'The provider answered and accepted the key', code: null };
  } catch (err) {
    // A made-up id that is "not found" means the upstream is there and let us in.
    if (err instanceof UpstreamError && err.code === 'NOT_FOUND') return { ok: true, message: 'The provider answered and accepted the key', code: null };
    if (err instanceof UpstreamError) return { ok: false, message: err.message, code: err.code };
    if (err instanceof AppError) return { ok: false, message: err.message, code: err.code };
    return { ok: false, message: 'The test call failed', code: 'INTERNAL' };
  }
}

export function createTaskHandlers(service: TaskService, registry: ProviderAdmin, settings: SettingsAdmin, hub: Hub): HandlerMap {
  // Every client learns of a settings change, whoever made it.
  settings.onChange((s) => hub.broadcast('settings', { settings: s }));

  return {
    async createTask(p, ctx) {
      ctx.reply('taskCreated', { task: await service.createTask(userOf(ctx.conn.userId), p) });
    },
    async trackTask(p, ctx) {
      ctx.reply('taskCreated', { task: await service.trackTask(userOf(ctx.conn.userId), p) });
    },
    getTask(p, ctx) {
      ctx.reply('taskUpdated', service.getTask(p.videoId));
    },
    listTasks(p, ctx) {
      ctx.reply('taskList', service.listTasks(p));
    },
    async requestTaskStatus(p, ctx) {
      ctx.reply('taskUpdated', await service.refreshTask(p.videoId));
    },
    async requestMultipleTaskStatus(p, ctx) {
      const videoIds = [...new Set(p.videoIds)];
      const failed: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < videoIds.length) {
          const videoId = videoIds[next++];
          try {
            ctx.reply('taskUpdated', await service.refreshTask(videoId));
          } catch (err) {
            failed.push(videoId);
            if (err instanceof AppError) ctx.error(err.code, err.message, videoId);
            else ctx.error('INTERNAL', 'internal error (see log)', videoId);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_PARALLELISM, videoIds.length) }, worker));
      ctx.reply('taskStatusBatchDone', { videoIds, failed });
    },
    async cancelTask(p, ctx) {
      ctx.reply('taskUpdated', await service.cancelTask(p.videoId));
    },
    async deleteTask(p, ctx) {
      await service.deleteTask(p.videoId);
      ctx.reply('taskDeleted', { videoId: p.videoId });
    },
    async retryTask(p, ctx) {
      ctx.reply('taskCreated', { task: await service.retryTask(userOf(ctx.conn.userId), p.videoId) });
    },
    async remixTask(p, ctx) {
      ctx.reply('taskCreated', { task: await service.remixTask(userOf(ctx.conn.userId), p.videoId, p.prompt) });
    },
    getStats(_p, ctx) {
      ctx.reply('stats', service.getStats());
    },
    listProviders(_p, ctx) {
      ctx.reply('providers', { providers: registry.list() });
    },
    async saveProvider(p, ctx) {
      ctx.reply('providerSaved', { provider: await registry.save(p) });
    },
    async deleteProvider(p, ctx) {
      await registry.delete(p.id);
      ctx.reply('providerDeleted', { id: p.id });
    },
    async testProvider(p, ctx) {
      if (!registry.get(p.id)) throw new AppError('NOT_FOUND', `No provider with id "${p.id}"`);
      const { client } = await service.clientForProvider(p.id);
      ctx.reply('providerTested', { id: p.id, ...(await probe(client)) });
    },
    getSettings(_p, ctx) {
      ctx.reply('settings', { settings: settings.get() });
    },
    updateSettings(p, ctx) {
      ctx.reply('settings', { settings: settings.update(p) });
    },
  };
}
