// The studio's parts of the page model against a real WebSocket core stand-in: deletes with undo,
// the search and date filter sent to the core (and applied to pushes), the "of N" count, watching the
// tasks on screen, and the truthful offline banner.
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { type FakeCore, fakeCoreClient, startFakeCore, waitFor } from '@shared/client/test-support/fake-core';
import { AppModel, type AppModelOptions } from './app-model';
import { matchesFilter } from './task-state';
import { taskView } from './test-support/task-fixture';

let core: FakeCore;
let model: AppModel;
let serverTasks: TaskView[] = [];
const UNDO_MS = 150;

async function start(options: AppModelOptions = {}): Promise<void> {
  core = await startFakeCore();
  core.handlers.set('listTasks', (_m, reply) => reply('taskList', { tasks: serverTasks, nextCursor: null, total: serverTasks.length, unfiltered: 40 }));
  core.handlers.set('getStats', (_m, reply) => reply('stats', { total: serverTasks.length, byStatus: { FAILED: serverTasks.filter((t) => t.status === 'FAILED').length } }));
  core.handlers.set('listProviders', (_m, reply) => reply('providers', { providers: [] }));
  core.handlers.set('getSettings', (_m, reply) => reply('settings', { settings: { language: 'en' } }));
  core.handlers.set('deleteTask', (m, reply) => reply('taskDeleted', { videoId: (m.payload as { videoId: string }).videoId }));
  for (const type of ['subscribe_task', 'unsubscribe_task'] as const) {
    core.handlers.set(type, (m, reply) => {
      const { videoId } = m.payload as { videoId: string };
      reply(type === 'subscribe_task' ? 'taskUpdated' : 'unsubscribed', type === 'subscribe_task' ? serverTasks.find((t) => t.videoId === videoId) : { videoId });
    });
  }
  const client = fakeCoreClient(core, { reconnect: { baseMs: 20, maxMs: 50 } });
  model = new AppModel(client, 0, undefined, { undoMs: UNDO_MS, ...options });
  client.start();
  await waitFor(() => model.connection === 'connected' && !model.tasks.loadingPage && model.config.settings !== null, 'synced');
}

afterEach(async () => {
  model?.link.stop();
  model?.client.stop();
  await core?.close();
  serverTasks = [];
});

const sent = (type: string) => core.received.filter((m) => m.type === type).map((m) => m.payload as Record<string, unknown>);
const shown = () => model.tasks.view.list().map((t) => t.videoId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deleting with undo', () => {
  it('20 deleted tasks leave the view at once, nothing is sent, and Undo brings all 20 back', async () => {
    serverTasks = Array.from({ length: 25 }, (_, i) => taskView({ videoId: `t${i}`, createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() }));
    await start();
    const twenty = shown().slice(0, 20);
    model.tasks.removeMany(twenty);
    expect(shown()).toHaveLength(5);
    expect(model.tasks.view.total).toBe(5);
    const toast = model.notices.toasts.at(-1)!;
    expect(toast).toMatchObject({ key: 'toast.deletedMany', vars: { n: 20 }, action: { key: 'toast.undo' } });
    toast.action!.run();
    expect(shown()).toHaveLength(25);
    expect(model.tasks.view.total).toBe(25);
    await sleep(UNDO_MS * 2);
    expect(sent('deleteTask')).toEqual([]);
    expect(model.notices.toasts.some((t) => t.key === 'toast.deletedMany')).toBe(false);
  });

  it('once the window has passed, each is deleted (with its file when asked), and a refusal brings that one back', async () => {
    serverTasks = [taskView({ videoId: 'a' }), taskView({ videoId: 'b' }), taskView({ videoId: 'gone' })];
    await start();
    core.handlers.set('deleteTask', (m, reply) => {
      const { videoId } = m.payload as { videoId: string };
      if (videoId === 'gone') reply('error', { code: 'NOT_FOUND', message: 'no task gone', videoId });
      else reply('taskDeleted', { videoId });
    });
    model.tasks.removeMany(['a', 'b', 'gone'], true);
    expect(shown()).toEqual([]);
    await waitFor(() => sent('deleteTask').length === 3, 'the deletes after the window');
    expect(sent('deleteTask').map((p) => p.videoId).sort()).toEqual(['a', 'b', 'gone']);
    expect(sent('deleteTask').every((p) => p.deleteFile === true)).toBe(true);
    await waitFor(() => shown().length === 1, 'the refused one back');
    expect(shown()).toEqual(['gone']);
    expect(model.notices.toasts.at(-1)).toMatchObject({ level: 'error', text: 'no task gone' });
  });

  it('leaving the page sends what is pending at once', async () => {
    serverTasks = [taskView({ videoId: 'a' })];
    await start({ undoMs: 60_000 });
    model.tasks.removeMany(['a']);
    await model.tasks.deletes.flush();
    expect(sent('deleteTask')).toEqual([{ videoId: 'a' }]);
  });
});

describe('bulk retry', () => {
  it('sends again only the failed and cancelled ones, and says how many went', async () => {
    serverTasks = [
      taskView({ videoId: 'f', status: 'FAILED' }), taskView({ videoId: 'c', status: 'CANCELLED' }),
      taskView({ videoId: 'done', status: 'COMPLETED' }), taskView({ videoId: 'run', status: 'PROCESSING' }),
    ];
    await start();
    let n = 0;
    core.handlers.set('retryTask', (_m, reply) => reply('taskCreated', { task: taskView({ videoId: `again${++n}`, status: 'PENDING' }) }));
    expect(await model.tasks.retryMany(['f', 'c', 'done', 'run'])).toBe(2);
    expect(sent('retryTask').map((p) => p.videoId).sort()).toEqual(['c', 'f']);
  });
});

describe('search and dates', () => {
  it('sends the words and the days to the core as its bounds, and shows "N of total"', async () => {
    await start();
    await model.tasks.setFilter({ status: null, search: ' piano  cat ', from: '2026-11-28', to: '2026-11-29' });
    const last = sent('listTasks').at(-1)!;
    expect(last.search).toBe('piano  cat');
    // Local midnights: from the first day's start to the end of the last day.
    expect(last.from).toBe(new Date(2026, 10, 28).toISOString());
    expect(last.to).toBe(new Date(2026, 10, 30).toISOString());
    expect(model.tasks.view.unfiltered).toBe(40);
  });

  it('a pushed task joins or leaves the filtered view by the core\'s own rule', () => {
    const filter = { status: null, search: 'PIANO cat', from: '2026-11-29', to: '2026-11-29' };
    const at = (h: number) => new Date(2026, 10, 29, h).toISOString();
    expect(matchesFilter(taskView({ videoId: 'x', prompt: 'A calico cat playing a piano', createdAt: at(10) }), filter)).toBe(true);
    expect(matchesFilter(taskView({ videoId: 'x', prompt: 'A calico cat playing a piano', createdAt: new Date(2026, 10, 30, 0).toISOString() }), filter)).toBe(false);
    expect(matchesFilter(taskView({ videoId: 'x', prompt: 'Un café près du piano', createdAt: at(10) }), { status: null, search: 'cafe piano' })).toBe(true);
    expect(matchesFilter(taskView({ videoId: 'x', prompt: 'A dog', model: 'sora-2-pro', createdAt: at(10) }), { status: null, search: 'pro dog' })).toBe(true);
  });
});

describe('watching the tasks on screen', () => {
  it('joins the rooms of the tasks shown, leaves the ones gone, and joins again after a reconnect', async () => {
    serverTasks = [taskView({ videoId: 'a', status: 'PROCESSING' }), taskView({ videoId: 'b', status: 'PROCESSING' })];
    await start();
    model.tasks.watch.set(['a', 'b']);
    model.tasks.watch.set(['b']);
    await waitFor(() => sent('unsubscribe_task').length === 1, 'the unsubscribe');
    expect(sent('subscribe_task')).toEqual([{ videoId: 'a' }, { videoId: 'b' }]);
    expect(sent('unsubscribe_task')).toEqual([{ videoId: 'a' }]);
    core.dropAll();
    await waitFor(() => model.connection !== 'connected', 'the drop');
    await waitFor(() => sent('subscribe_task').length === 3, 'the rejoin');
    expect(sent('subscribe_task').at(-1)).toEqual({ videoId: 'b' });
  });
});

describe('the link banner tells the truth', () => {
  it('says the connection dropped while the service still answers, and that it stopped once nothing does', async () => {
    let serviceUp = true;
    await start({ probeService: async () => serviceUp });
    expect(model.link.down).toBeNull();
    core.dropAll();
    await waitFor(() => model.link.down === 'connection-dropped', 'dropped, service there');
    await waitFor(() => model.connection === 'connected', 'reconnected');
    expect(model.link.down).toBeNull();
    serviceUp = false;
    await core.close();
    await waitFor(() => model.link.down === 'service-stopped', 'the service gone');
  });
});
