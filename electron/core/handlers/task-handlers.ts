// The task messages of the local API. Payloads arrive validated by the router; an AppError thrown
// here becomes an `error` reply; each handler can only reply what its route says (routes.ts).
import { AppError } from '@shared/contract/errors';
import type { HandlerMap } from '../server/door-types';
import type { TaskService } from '../tasks/service-types';

/** How many upstream checks one batch request runs at once. */
export const BATCH_PARALLELISM = 8;

const userOf = (userId: string | null) => userId ?? 'local';

export function createTaskHandlers(service: TaskService) {
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
      await service.deleteTask(p.videoId, { deleteFile: p.deleteFile });
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
  } satisfies HandlerMap;
}
