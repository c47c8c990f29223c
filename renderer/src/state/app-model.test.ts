import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { type FakeCore, fakeCoreClient, startFakeCore, waitFor } from '@shared/client/test-support/fake-core';
import { AppModel } from './app-model';
import { taskView } from './test-support/task-fixture';

let core: FakeCore;
let model: AppModel;
/** What the fake core's listTasks answers; tests change it to simulate the service moving on. */
let serverTasks: TaskView[] = [];

async function start(): Promise<void> {
  core = await startFakeCore();
  core.handlers.set('listTasks', (_m, reply) => reply('taskList', { tasks: serverTasks, nextCursor: null, total: serverTasks.length }));
  core.handlers.set('getStats', (_m, reply) => reply('stats', { total: serverTasks.length, byStatus: {} }));
  core.handlers.set('listProviders', (_m, reply) => reply('providers', { providers: [] }));
  core.handlers.set('getSettings', (_m, reply) => reply('settings', { settings: { language: 'zh-CN' } }));
  const client = fakeCoreClient(core, { reconnect: { baseMs: 20, maxMs: 50 } });
  model = new AppModel(client, 0);
  client.start();
}

afterEach(async () => {
  model?.client.stop();
  await core?.close();
  serverTasks = [];
});

describe('AppModel against a real WebSocket core', () => {
  it('loads tasks, stats, providers and settings once connected', async () => {
    serverTasks = [taskView({ videoId: 'a' })];
    await start();
    await waitFor(() => model.config.settings !== null && model.tasks.view.list().length === 1, 'initial sync');
    expect(model.config.settings?.language).toBe('zh-CN');
    expect(model.tasks.view.stats?.total).toBe(1);
  });

  it('follows a settings push: a change made in another window shows here without asking', async () => {
    await start();
    await waitFor(() => model.config.settings?.language === 'zh-CN', 'initial settings');
    const asked = core.received.filter((m) => m.type === 'getSettings').length;
    core.push('settings', { settings: { language: 'en', pollIntervalMs: 2000 } });
    await waitFor(() => model.config.settings?.language === 'en', 'the pushed settings');
    expect(model.config.settings).toMatchObject({ pollIntervalMs: 2000 });
    expect(core.received.filter((m) => m.type === 'getSettings').length).toBe(asked);
  });

  it('drops a task another client deleted (taskDeleted push)', async () => {
    serverTasks = [taskView({ videoId: 'a' }), taskView({ videoId: 'b' })];
    await start();
    await waitFor(() => model.tasks.view.list().length === 2, 'initial sync');
    core.push('taskDeleted', { videoId: 'a' });
    await waitFor(() => model.tasks.view.get('a') === undefined, 'the deleted task gone');
    expect(model.tasks.view.list().map((t) => t.videoId)).toEqual(['b']);
  });

  it('resyncs with listTasks after a reconnect: what changed while offline shows up', async () => {
    serverTasks = [taskView({ videoId: 'a', status: 'PROCESSING', progress: 40, updatedAt: '2025-01-01T00:00:01.000Z' })];
    await start();
    await waitFor(() => model.tasks.view.get('a')?.progress === 40, 'first sync');
    const listsBefore = core.received.filter((m) => m.type === 'listTasks').length;
    serverTasks = [
      taskView({ videoId: 'b', createdAt: '2025-01-02T00:00:00.000Z' }),
      taskView({ videoId: 'a', status: 'COMPLETED', progress: 100, updatedAt: '2025-01-01T00:00:09.000Z' }),
    ];
    core.dropAll();
    await waitFor(() => model.connection !== 'connected', 'noticed the drop');
    await waitFor(() => model.connection === 'connected' && model.tasks.view.get('a')?.status === 'COMPLETED', 'resynced');
    expect(core.received.filter((m) => m.type === 'listTasks').length).toBe(listsBefore + 1);
    expect(model.tasks.view.list().map((t) => t.videoId)).toEqual(['b', 'a']);
  });

  it('a push that overtakes an older reply wins; the reply does not undo it', async () => {
    await start();
    await waitFor(() => model.config.settings !== null && !model.tasks.loadingPage, 'initial sync');
    core.handlers.set('requestTaskStatus', (_m, reply, push) => {
      push('taskUpdated', taskView({ videoId: 'a', status: 'COMPLETED', progress: 100, updatedAt: '2025-01-01T00:00:05.000Z' }));
      reply('taskUpdated', taskView({ videoId: 'a', status: 'PROCESSING', progress: 70, updatedAt: '2025-01-01T00:00:04.000Z' }));
    });
    await model.tasks.requestStatus('a');
    expect(model.tasks.view.get('a')).toMatchObject({ status: 'COMPLETED', progress: 100 });
  });

  it('toasts "completed" when a pushed task turns COMPLETED, and the upstream message when one fails', async () => {
    await start();
    await waitFor(() => model.connection === 'connected', 'connected');
    core.push('taskUpdated', taskView({ videoId: 'a', status: 'PROCESSING', progress: 50, updatedAt: '2025-01-01T00:00:01.000Z' }));
    core.push('taskUpdated', taskView({ videoId: 'a', status: 'COMPLETED', progress: 100, updatedAt: '2025-01-01T00:00:02.000Z' }));
    core.push('taskUpdated', taskView({ videoId: 'b', status: 'QUEUED', updatedAt: '2025-01-01T00:00:01.000Z' }));
    core.push('taskUpdated', taskView({ videoId: 'b', status: 'FAILED', error: 'content policy violation', updatedAt: '2025-01-01T00:00:02.000Z' }));
    await waitFor(() => model.notices.toasts.length === 2, 'two toasts');
    expect(model.notices.toasts.map((t) => [t.level, t.key, t.text])).toEqual([
      ['success', 'toast.completed', undefined],
      ['error', 'toast.failed', 'content policy violation'],
    ]);
    expect(model.notices.unauthorized).toBeNull();
  });

  it('shows the unauthorised banner for a 401 failure and for an UPSTREAM_UNAUTHORIZED notice', async () => {
    await start();
    await waitFor(() => model.connection === 'connected', 'connected');
    core.push('taskUpdated', taskView({ videoId: 'a', providerId: 'relay', status: 'FAILED', errorCode: '401', error: 'Incorrect API key', updatedAt: '2025-01-01T00:00:02.000Z' }));
    await waitFor(() => model.notices.unauthorized !== null, 'banner from a failed task');
    expect(model.notices.unauthorized).toEqual({ providerId: 'relay', message: 'Incorrect API key' });
    model.notices.dismissUnauthorized();
    core.push('notice', { level: 'error', code: 'UPSTREAM_UNAUTHORIZED', message: 'key rejected', providerId: 'other' });
    await waitFor(() => model.notices.unauthorized !== null, 'banner from a notice');
    expect(model.notices.unauthorized).toEqual({ providerId: 'other', message: 'key rejected' });
  });

  it('a DOWNLOAD_FAILED notice becomes a translated toast with the core\'s reason; a disk problem stays until dismissed', async () => {
    await start();
    await waitFor(() => model.connection === 'connected', 'connected');
    core.push('notice', { level: 'warning', code: 'DOWNLOAD_FAILED', message: 'Could not download the video "x": gone.' });
    core.push('notice', { level: 'error', code: 'DOWNLOAD_FAILED', message: 'Could not save the video "y": the disk is full.' });
    await waitFor(() => model.notices.toasts.length === 2, 'two toasts');
    expect(model.notices.toasts.map((t) => [t.level, t.key, t.text, Boolean(t.sticky)])).toEqual([
      ['warning', 'toast.downloadFailed', 'Could not download the video "x": gone.', false],
      ['error', 'toast.downloadFailed', 'Could not save the video "y": the disk is full.', true],
    ]);
  });

  it('Refresh all asks about every active task in batches of at most 100', async () => {
    const active = Array.from({ length: 230 }, (_, i) => taskView({ videoId: `t${i}`, status: 'PROCESSING' }));
    await start();
    await waitFor(() => model.connection === 'connected', 'connected');
    core.handlers.set('listTasks', (m, reply) => {
      const cursor = (m.payload as { cursor?: string | null }).cursor;
      reply('taskList', cursor ? { tasks: active.slice(200), nextCursor: null, total: 230 } : { tasks: active.slice(0, 200), nextCursor: 'p2', total: 230 });
    });
    core.handlers.set('requestMultipleTaskStatus', (m, reply) => {
      const ids = (m.payload as { videoIds: string[] }).videoIds;
      reply('taskStatusBatchDone', { videoIds: ids, failed: [] });
    });
    expect(await model.tasks.refreshAll()).toBe(230);
    const batches = core.received.filter((m) => m.type === 'requestMultipleTaskStatus').map((m) => (m.payload as { videoIds: string[] }).videoIds.length);
    expect(batches).toEqual([100, 100, 30]);
  });
});
