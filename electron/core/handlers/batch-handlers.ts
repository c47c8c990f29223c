// The batch and spending messages of the local API: the same calls for the UI, scripts and the CLI.
import type { HandlerMap } from '../server/door-types';
import type { TaskService } from '../tasks/service-types';

const userOf = (userId: string | null) => userId ?? 'local';

export function createBatchHandlers(service: TaskService) {
  return {
    async createBatch(p, ctx) {
      ctx.reply('batchCreated', await service.createBatch(userOf(ctx.conn.userId), p));
    },
    listBatches(_p, ctx) {
      ctx.reply('batches', { batches: service.listBatches() });
    },
    async pauseBatch(p, ctx) {
      ctx.reply('batchUpdated', { batch: await service.pauseBatch(p.id) });
    },
    async resumeBatch(p, ctx) {
      ctx.reply('batchUpdated', { batch: await service.resumeBatch(p.id) });
    },
    async cancelBatch(p, ctx) {
      ctx.reply('batchUpdated', { batch: await service.cancelBatch(p.id) });
    },
    async retryBatch(p, ctx) {
      ctx.reply('batchUpdated', { batch: await service.retryBatch(userOf(ctx.conn.userId), p.id) });
    },
    getSpend(p, ctx) {
      ctx.reply('spend', service.getSpend(p));
    },
  } satisfies HandlerMap;
}
