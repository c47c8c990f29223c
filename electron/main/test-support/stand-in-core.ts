// A small Core for shell tests, built from the real hub, router and local door (so frames are
// validated and answered as in the app), with an in-memory task list instead of the task service.
import type { TaskView } from '@shared/contract/task';
import type { Core, CoreDeps } from '../../core/core-types';
import { silentLogger } from '../../core/log';
import { sampleView } from '../../core/server/test-support/door-client';
import { createHub } from '../../core/server/hub';
import { createLocalDoor, LOCAL_USER_ID } from '../../core/server/local-door';
import { createRouter } from '../../core/server/router';
import { createUpdateHandlers } from '../../core/handlers/update-handlers';

/** Where the stand-in says it wrote a diagnostics bundle. */
export const STAND_IN_DIAGNOSTICS = '/tmp/soradesk-stand-in/diagnostics/soradesk-diagnostics.zip';

export function createStandInCore(deps?: Partial<CoreDeps>) {
  const hub = createHub();
  const tasks = new Map<string, TaskView>();
  const calls: string[] = [];
  const router = createRouter({
    hub,
    tokens: { verify: async () => null },
    logger: silentLogger,
    getTaskView: (id) => tasks.get(id),
    handlers: {
      getStats: (_p, ctx) => {
        const byStatus = { PENDING: 0, QUEUED: 0, PROCESSING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 0 };
        for (const t of tasks.values()) byStatus[t.status]++;
        ctx.reply('stats', { total: tasks.size, byStatus });
      },
      listTasks: (p, ctx) => {
        const wanted = p.status === undefined ? null : Array.isArray(p.status) ? p.status : [p.status];
        const list = [...tasks.values()].filter((t) => !wanted || wanted.includes(t.status));
        ctx.reply('taskList', { tasks: list, nextCursor: null, total: list.length, unfiltered: tasks.size });
      },
      getTask: (p, ctx) => {
        const t = tasks.get(p.videoId);
        if (!t) return ctx.error('NOT_FOUND', `no task ${p.videoId}`, p.videoId);
        ctx.reply('taskUpdated', t);
      },
      // The core's own updater handlers: getUpdateState/installUpdate and the updateState broadcast.
      ...createUpdateHandlers(deps?.updater, hub),
      exportDiagnostics: (p, ctx) => {
        calls.push(`exportDiagnostics includePrompts=${p.includePrompts ?? false}`);
        ctx.reply('diagnosticsExported', { path: STAND_IN_DIAGNOSTICS });
      },
    },
  });
  const door = createLocalDoor(router, hub);

  const core: Core & { hub: typeof hub } = {
    hub,
    async start() {
      calls.push('start');
      return { wsUrl: 'ws://127.0.0.1:1/ws', httpUrl: 'http://127.0.0.1:1/', token: 't', pid: process.pid };
    },
    async stop() {
      calls.push('stop');
    },
    forgetProviderKeys() {
      calls.push('forgetProviderKeys');
    },
    openLocalConnection: (send) => door.openLocalConnection(send),
    startupNotices: [],
    exportDiagnostics: async () => ({ path: STAND_IN_DIAGNOSTICS, bytes: 0, files: [] }),
  };
  /** Stores a task change and pushes it, as the task service would. */
  const update = (videoId: string, patch: Partial<TaskView>) => {
    const next = { ...(tasks.get(videoId) ?? sampleView(videoId)), ...patch };
    tasks.set(videoId, next);
    hub.publishTask(LOCAL_USER_ID, next);
    return next;
  };
  return { core, hub, tasks, calls, update };
}
