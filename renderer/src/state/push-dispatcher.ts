// Every server message, replies included, goes through this one switch to the part of the model it
// concerns, so state merges whatever it learns. The switch is exhaustive over the server message
// union: a message type added to the contract and not handled here does not compile.
import type { ServerMessage } from '@shared/contract/messages';
import type { BatchesModel } from './batches-model';
import type { SpendModel } from './spend-model';
import type { UpdateStatus } from './update-status';
import type { ConfigModel } from './config-model';
import type { NoticesModel } from './notices-model';
import type { TasksModel } from './tasks-model';

export interface MessageTargets {
  readonly tasks: TasksModel;
  readonly notices: NoticesModel;
  readonly config: ConfigModel;
  readonly update: UpdateStatus;
  readonly batches: BatchesModel;
  readonly spend: SpendModel;
}

export function dispatchServerMessage(msg: ServerMessage, to: MessageTargets): void {
  const isPush = msg.id === undefined;
  // Removing a case here fails `npm run typecheck` (the `never` below); checked by hand once.
  switch (msg.type) {
    case 'taskUpdated':
      to.spend.taskChanged(msg.payload);
      return to.tasks.merge(msg.payload, isPush);
    case 'taskCreated':
      to.spend.taskChanged(msg.payload.task);
      return to.tasks.merge(msg.payload.task, isPush);
    case 'batchUpdated':
      return to.batches.apply(msg.payload.batch);
    case 'batchCreated':
      to.batches.apply(msg.payload.batch);
      for (const task of msg.payload.tasks) to.tasks.merge(task, isPush);
      return;
    case 'taskDeleted':
      return to.tasks.deleted(msg.payload.videoId);
    case 'settings':
      return to.config.applySettings(msg.payload.settings);
    case 'updateState':
      return to.update.apply(msg.payload);
    case 'notice':
      return to.notices.notice(msg.payload);
    case 'focusTask':
      void to.tasks.focusTask(msg.payload.videoId).catch((e: unknown) => to.notices.reportError(e));
      return;
    // Replies their callers use (a page, counts, providers, a test result, a model list); nothing else to merge.
    case 'authenticated':
    case 'pong':
    case 'unsubscribed':
    case 'taskStatusBatchDone':
    case 'taskList':
    case 'stats':
    case 'providers':
    case 'providerSaved':
    case 'providerDeleted':
    case 'providerTested':
    case 'diagnosticsExported':
    case 'models':
    case 'batches':
    case 'spend':
      return;
    case 'error':
      return to.notices.errorReply(msg.payload);
    default:
      return unhandled(msg);
  }
}

/** Only reachable at compile time with a message type no case above handles. */
function unhandled(msg: never): void {
  void msg;
}
