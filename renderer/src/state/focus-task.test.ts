// The desktop shell's focusTask push (a notification was clicked), through the real client over a
// stand-in preload bridge (Electron cannot run here): the model makes the task visible and asks the
// UI to focus it. Also: a burst of pushes reaches React as one notification.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientEnvelope, ServerEnvelope } from '@shared/contract/messages';
import type { SoraDeskBridge } from '@shared/contract/bridge';
import type { TaskView } from '@shared/contract/task';
import { ContractClient } from '@shared/client/contract-client';
import { createBridgeTransport } from '../backend/bridge-transport';
import { waitFor } from '@shared/client/test-support/fake-core';
import { AppModel } from './app-model';
import { taskView } from './test-support/task-fixture';
import { matchesFilter } from './task-state';

const at = (s: number) => new Date(Date.parse('2025-01-01T00:00:00.000Z') + s * 1000).toISOString();

/** An in-memory bridge answering like the main process's IPC door, over a list of stored tasks. */
function standInBridge(stored: TaskView[], pageSize = 2) {
  const listeners = new Set<(m: ServerEnvelope) => void>();
  const received: ClientEnvelope[] = [];
  const emit = (type: string, payload: unknown, id?: string | number) =>
    queueMicrotask(() => { for (const l of listeners) l({ type, id, timestamp: Date.now(), payload } as ServerEnvelope); });
  const answer = (env: ClientEnvelope) => {
    const p = env.payload as Record<string, unknown>;
    switch (env.type) {
      case 'listTasks': {
        const filter = { status: (p.status as TaskView['status'] | undefined) ?? null, search: String(p.search ?? '') };
        const hits = stored.filter((t) => matchesFilter(t, filter));
        const from = p.cursor ? Number(p.cursor) : 0;
        const next = from + pageSize < hits.length ? String(from + pageSize) : null;
        return emit('taskList', { tasks: hits.slice(from, from + pageSize), nextCursor: next, total: hits.length }, env.id);
      }
      case 'getTask': {
        const t = stored.find((s) => s.videoId === p.videoId);
        return t ? emit('taskUpdated', t, env.id) : emit('error', { code: 'NOT_FOUND', message: `No task ${String(p.videoId)}.` }, env.id);
      }
      case 'getStats': return emit('stats', { total: stored.length, byStatus: {} }, env.id);
      case 'listProviders': return emit('providers', { providers: [] }, env.id);
      case 'getSettings': return emit('settings', { settings: { language: 'en' } }, env.id);
    }
  };
  const bridge: SoraDeskBridge = {
    appInfo: { version: '0.1.0', platform: 'linux', mediaBase: 'app://soradesk/media/' },
    showItemInFolder: () => undefined,
    openVideo: () => undefined,
    onMessage: (l) => { listeners.add(l); return () => listeners.delete(l); },
    send: (env) => { received.push(env); answer(env); },
  };
  return { bridge, received, push: (type: string, payload: unknown) => emit(type, payload) };
}

let model: AppModel;
afterEach(() => model?.client.stop());

async function startModel(stored: TaskView[], frames?: Array<() => void>) {
  const core = standInBridge(stored);
  model = new AppModel(new ContractClient(createBridgeTransport(core.bridge)), 0, frames ? (f) => void frames.push(f) : undefined);
  model.client.start();
  await waitFor(() => model.config.settings !== null && model.tasks.view.list().length > 0, 'initial sync');
  return core;
}

// Newest first: t3, t2 on the first page; t1 (failed) and t0 only on later pages.
const stored = [
  taskView({ videoId: 't3', createdAt: at(3), status: 'COMPLETED', progress: 100, prompt: 'a red fox' }),
  taskView({ videoId: 't2', createdAt: at(2), status: 'COMPLETED', progress: 100, prompt: 'a blue whale' }),
  taskView({ videoId: 't1', createdAt: at(1), status: 'FAILED', error: 'content policy', prompt: 'a grey owl' }),
  taskView({ videoId: 't0', createdAt: at(0), status: 'COMPLETED', progress: 100, prompt: 'a green frog' }),
];

describe('focusTask from the desktop shell', () => {
  it('a task already in view is focused without asking the core again', async () => {
    const core = await startModel(stored);
    core.push('focusTask', { videoId: 't2' });
    await waitFor(() => model.tasks.focusRequest !== null, 'focus request');
    expect(model.tasks.focusRequest?.videoId).toBe('t2');
    expect(core.received.some((m) => m.type === 'getTask')).toBe(false);
    model.tasks.focusShown(model.tasks.focusRequest!.seq);
    expect(model.tasks.focusRequest).toBeNull(); // shown once; switching views later does not repeat it
  });

  it('a task hidden by the status filter and search clears them, is fetched with getTask and joins the list in order', async () => {
    const core = await startModel(stored);
    await model.tasks.setFilter({ status: 'COMPLETED', search: 'a' });
    expect(model.tasks.view.get('t1')).toBeUndefined();
    core.push('focusTask', { videoId: 't1' });
    await waitFor(() => model.tasks.focusRequest !== null, 'focus request');
    expect(model.tasks.view.filter).toEqual({ status: null, search: '' });
    expect(core.received.filter((m) => m.type === 'getTask').map((m) => m.payload)).toEqual([{ videoId: 't1' }]);
    expect(model.tasks.view.list().map((t) => t.videoId)).toEqual(['t3', 't2', 't1', 't0']); // paged down to it
    expect(model.tasks.focusRequest?.videoId).toBe('t1');
  });

  it('a task beyond the loaded pages is fetched and the pages before it loaded, so it sits among its neighbours', async () => {
    const core = await startModel(stored);
    core.push('focusTask', { videoId: 't0' });
    await waitFor(() => model.tasks.focusRequest !== null, 'focus request');
    expect(model.tasks.view.get('t0')?.prompt).toBe('a green frog');
    expect(model.tasks.view.list().map((t) => t.videoId)).toEqual(['t3', 't2', 't1', 't0']);
    expect(core.received.filter((m) => m.type === 'listTasks').map((m) => (m.payload as { cursor: unknown }).cursor)).toEqual([null, '2']);
  });

  it('an unknown task says so in a toast and focuses nothing', async () => {
    const core = await startModel(stored);
    core.push('focusTask', { videoId: 'gone' });
    await waitFor(() => model.notices.toasts.length === 1, 'error toast');
    expect(model.notices.toasts[0]).toMatchObject({ level: 'error', text: 'No task gone.' });
    expect(model.tasks.focusRequest).toBeNull();
  });
});

describe('notifying React', () => {
  it('300 pushes in a burst are one notification at the next frame, with all of them applied', async () => {
    const frames: Array<() => void> = [];
    const core = await startModel(stored, frames);
    for (const f of frames.splice(0)) f();
    let heard = 0;
    model.subscribe(() => (heard += 1));
    for (let i = 0; i < 300; i++) core.push('taskUpdated', taskView({ videoId: `p${i}`, createdAt: at(10 + i), status: 'PROCESSING', progress: 10 }));
    await waitFor(() => model.tasks.view.list().length === 302, 'all pushes applied');
    expect(heard).toBe(0);
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(heard).toBe(1);
    expect(model.tasks.view.list()[0].videoId).toBe('p299');
  });
});
