import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ContractClient } from '@shared/client/contract-client';
import { type FakeCore, startFakeCore, TEST_TOKEN, waitFor } from '@shared/client/test-support/fake-core';
import { createWsTransport } from '@shared/client/ws-transport';
import type { ClientEnvelope, RequestInput } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { AppModel } from '../state/app-model';
import { taskView } from '../state/test-support/task-fixture';
import { FIRST_PAGE_SIZE, openEarly, sameQuery } from './early-link';

let core: FakeCore;
let model: AppModel | null = null;
const FIRST: RequestInput<'listTasks'> = { limit: FIRST_PAGE_SIZE, cursor: null };

/** A fake core with `count` tasks that answers listTasks by its limit and status, and records every frame. */
async function coreWith(count: number): Promise<TaskView[]> {
  const tasks = Array.from({ length: count }, (_, n) => taskView({ videoId: `v${n}`, prompt: `task ${n}`, status: n % 2 ? 'COMPLETED' : 'FAILED' }));
  core = await startFakeCore();
  core.handlers.set('listTasks', (m, reply) => {
    const p = (m.payload ?? {}) as RequestInput<'listTasks'>;
    const matching = tasks.filter((t) => !p.status || t.status === p.status);
    reply('taskList', { tasks: matching.slice(0, p.limit ?? 100), nextCursor: matching.length > (p.limit ?? 100) ? 'next' : null, total: matching.length });
  });
  core.handlers.set('getStats', (_m, reply) => reply('stats', { total: tasks.length, byStatus: {} }));
  core.handlers.set('listProviders', (_m, reply) => reply('providers', { providers: [] }));
  core.handlers.set('getSettings', (_m, reply) => reply('settings', { settings: { language: 'en' } }));
  return tasks;
}

const transport = (token = TEST_TOKEN) => createWsTransport({ url: core.url, token, openSocket: (url) => new WebSocket(url) });
const asked = (type: string): ClientEnvelope[] => core.received.filter((m) => m.type === type);

/** The app as main.tsx starts it over the boot module's early link. */
function startApp(early: ReturnType<typeof openEarly>, grid = false): AppModel {
  const client = new ContractClient(early.transport, { reconnect: { baseMs: 20, maxMs: 50 } });
  model = new AppModel(client, 0, (fn) => void setTimeout(fn, 0), { firstPage: early.firstPage });
  if (grid) model.tasks.view.setFilter({ status: 'COMPLETED', search: '' });
  client.start();
  return model;
}

afterEach(async () => {
  model?.client.stop();
  model = null;
  await core?.close();
});

describe('the boot module\'s early link', () => {
  it('asks for a small first page on the one socket, and the app shows it without asking again', async () => {
    await coreWith(250);
    const early = openEarly(transport(), FIRST);
    const page = await early.firstPage;
    expect(page?.reply.payload.tasks).toHaveLength(FIRST_PAGE_SIZE);
    expect(asked('listTasks').map((m) => m.payload)).toEqual([{ limit: FIRST_PAGE_SIZE, cursor: null }]);

    const app = startApp(early);
    await waitFor(() => app.tasks.view.list().length === FIRST_PAGE_SIZE && app.config.settings !== null, 'the first page in the app');
    expect(app.connection).toBe('connected');
    expect(core.authCount()).toBe(1);
    expect(asked('listTasks')).toHaveLength(1);
    expect(app.tasks.view.total).toBe(250);
    // The rest pages in as before, from where the small first page ended.
    await app.tasks.loadMore();
    expect(asked('listTasks').at(-1)?.payload).toMatchObject({ cursor: 'next', limit: 100 });
  });

  it('passes on what the core pushed before the app took the link over', async () => {
    await coreWith(3);
    const early = openEarly(transport(), FIRST);
    await early.firstPage;
    core.push('taskUpdated', taskView({ videoId: 'v0', prompt: 'task 0', status: 'FAILED', updatedAt: '2030-01-01T00:00:00.000Z', error: 'pushed meanwhile' }));
    await new Promise((r) => setTimeout(r, 50));
    const app = startApp(early);
    await waitFor(() => app.tasks.view.get('v0')?.error === 'pushed meanwhile', 'the held push');
  });

  it('asks again when the view wants other tasks than the boot asked for', async () => {
    await coreWith(10);
    const early = openEarly(transport(), FIRST);
    const app = startApp(early, true);
    await waitFor(() => app.tasks.view.list().length === 5, 'the finished tasks');
    expect(app.tasks.view.list().every((t) => t.status === 'COMPLETED')).toBe(true);
    expect(asked('listTasks').map((m) => (m.payload as { status?: string }).status ?? null)).toEqual([null, 'COMPLETED']);
  });

  it('a refused token: no first page, and the app reads unauthorized', async () => {
    await coreWith(3);
    const early = openEarly(transport('wrong-token'), FIRST);
    expect(await early.firstPage).toBeNull();
    const app = startApp(early);
    await waitFor(() => app.connection === 'unauthorized', 'unauthorized');
    expect(asked('listTasks')).toHaveLength(0);
  });

  it('a link that dropped before the app came: the app connects again and loads its page', async () => {
    await coreWith(3);
    const early = openEarly(transport(), FIRST);
    await early.firstPage;
    core.dropAll();
    await new Promise((r) => setTimeout(r, 50));
    const app = startApp(early);
    await waitFor(() => app.connection === 'connected' && app.tasks.view.list().length === 3, 'a new link and the page');
    expect(core.authCount()).toBe(2);
  });
});

describe('sameQuery', () => {
  it('ignores the page size, not the filter', () => {
    expect(sameQuery({ limit: 30, cursor: null }, { limit: 100, cursor: null })).toBe(true);
    expect(sameQuery({ limit: 30 }, { limit: 100, cursor: null, search: '' })).toBe(true);
    expect(sameQuery({ limit: 30, status: 'COMPLETED' }, { limit: 100 })).toBe(false);
    expect(sameQuery({ limit: 30, search: 'cat' }, { limit: 30, search: 'dog' })).toBe(false);
  });
});
