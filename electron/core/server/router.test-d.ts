// Type tests for the handler side, compiled by `npm run typecheck`, never run: a handler's ctx.reply
// takes only its own route's replies (routes.ts). Each `@ts-expect-error` line must fail to compile.
import type { ProviderView } from '@shared/contract/provider';
import type { TaskView } from '@shared/contract/task';
import type { HandlerMap, RequestContext } from './door-types';

declare const createCtx: RequestContext<'createTask'>;
declare const batchCtx: RequestContext<'requestMultipleTaskStatus'>;
declare const task: TaskView;
declare const provider: ProviderView;

export function handlers(): void {
  createCtx.reply('taskCreated', { task });
  batchCtx.reply('taskUpdated', task);
  batchCtx.reply('taskStatusBatchDone', { videoIds: [], failed: [] });
  // @ts-expect-error a createTask handler cannot answer with another route's reply
  createCtx.reply('taskUpdated', task);
  // @ts-expect-error nor with a provider where its reply carries a task
  createCtx.reply('taskCreated', { task: provider });
  // @ts-expect-error errors go through ctx.error, with a code of the contract
  createCtx.reply('error', { code: 'NOT_FOUND', message: 'x' });
  // @ts-expect-error an error code the contract does not have
  createCtx.error('NO_SUCH_CODE', 'x');
}

export const map: HandlerMap = {
  getStats(_p, ctx) {
    // @ts-expect-error getStats answers stats, not settings
    ctx.reply('settings', { settings: null });
  },
  getTask(p, ctx) {
    // @ts-expect-error the payload is what the schema parsed: a videoId, no prompt
    void p.prompt;
    ctx.error('NOT_FOUND', `no task ${p.videoId}`, p.videoId);
  },
};
