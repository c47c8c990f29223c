// The provider messages: list, save, delete, a connection test that makes one harmless call, and a
// provider's model catalog with the models it names itself.
import { AppError } from '@shared/contract/errors';
import type { SaveProviderPayload } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import { mergeCatalog } from '../providers/catalog/model-catalog';
import type { ProviderClient, ProviderConnection } from '../providers/provider-client';
import { UpstreamError } from '../providers/provider-client';
import type { HandlerMap } from '../server/door-types';
import type { TaskService } from '../tasks/service-types';

export interface ProviderAdmin {
  list(): ProviderView[];
  get(id: string): ProviderView | undefined;
  save(payload: SaveProviderPayload): Promise<ProviderView>;
  delete(id: string): Promise<void>;
  connection(id: string): Promise<ProviderConnection>;
}

const REACHABLE = 'The provider answered and accepted the key';

/** One harmless call that proves the provider is reachable and takes the key. */
async function probe(client: ProviderClient): Promise<{ ok: boolean; message: string; code: string | null }> {
  try {
    await client.probe();
    return { ok: true, message: REACHABLE, code: null };
  } catch (err) {
    if (err instanceof UpstreamError) return { ok: false, message: err.message, code: err.code };
    if (err instanceof AppError) return { ok: false, message: err.message, code: err.code };
    return { ok: false, message: 'The test call failed', code: 'INTERNAL' };
  }
}

/** `clients` gives the upstream client the tasks use, so the test passes the same provider gate. */
export function createProviderHandlers(registry: ProviderAdmin, clients: Pick<TaskService, 'clientForProvider' | 'reconsiderHolds'>) {
  return {
    listProviders(_p, ctx) {
      ctx.reply('providers', { providers: registry.list() });
    },
    async saveProvider(p, ctx) {
      ctx.reply('providerSaved', { provider: await registry.save(p) });
      // A new cap or budget may release held tasks (or hold more of them).
      clients.reconsiderHolds();
    },
    async deleteProvider(p, ctx) {
      await registry.delete(p.id);
      ctx.reply('providerDeleted', { id: p.id });
    },
    async testProvider(p, ctx) {
      if (!registry.get(p.id)) throw new AppError('NOT_FOUND', `No provider with id "${p.id}"`);
      const { client } = await clients.clientForProvider(p.id);
      ctx.reply('providerTested', { id: p.id, ...(await probe(client)) });
    },
    async listModels(p, ctx) {
      const provider = registry.get(p.providerId);
      if (!provider) throw new AppError('NOT_FOUND', `No provider with id "${p.providerId}"`);
      let listed: Awaited<ReturnType<ProviderClient['listModels']>> = [];
      let listError: string | null = null;
      const { client } = await clients.clientForProvider(p.providerId);
      if (client.supportsModelList) {
        try {
          listed = await client.listModels();
        } catch (err) {
          // The catalog is still worth having: the reply says why the provider's own list is missing.
          listError = err instanceof UpstreamError || err instanceof AppError ? err.message : 'The provider\'s model list could not be read';
        }
      }
      ctx.reply('models', { providerId: p.providerId, models: mergeCatalog(provider.models, [], listed), listError });
    },
  } satisfies HandlerMap;
}
