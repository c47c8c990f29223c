import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/log';
import { openShellClient } from './core-client';
import { createDesktopStatus } from './desktop-status';
import { watchTasks } from './task-watch';
import { FakeBrowserWindow, FakeNotification, FakeTray } from './test-support/fake-electron';
import { createStandInCore } from './test-support/stand-in-core';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

async function setup(seed: (u: ReturnType<typeof createStandInCore>['update']) => void = () => {}) {
  const standIn = createStandInCore();
  seed(standIn.update);
  const win = new FakeBrowserWindow({});
  let quits = 0;
  const shownTasks: string[] = [];
  const status = createDesktopStatus({
    getWindow: () => win as never,
    showWindow: () => { win.show(); win.focus(); },
    showTask: (videoId) => { shownTasks.push(videoId); win.show(); win.focus(); },
    quit: () => { quits++; },
    trayIconPath: '/resources/icons/tray.png',
  });
  const client = openShellClient(standIn.core);
  const watch = watchTasks(client, { onSummary: (s) => status.summary(s), onFinished: (t, o) => status.finished(t, o) }, silentLogger);
  await watch.ready;
  const trayLabels = () => FakeTray.instances[0].menu!.items.map((i) => i.label).filter(Boolean);
  return { ...standIn, win, watch, trayLabels, quits: () => quits, shownTasks };
}

beforeEach(() => resetAll());
function resetAll() {
  FakeNotification.shown = [];
  FakeTray.instances = [];
  FakeBrowserWindow.instances = [];
}

describe('desktop status: notifications, taskbar progress, tray', () => {
  it('notifies when a task it saw running completes or fails; a click brings the window back on that task', async () => {
    const s = await setup((update) => update('old', { status: 'PROCESSING', progress: 10 }));
    s.update('new', { status: 'QUEUED', progress: 0, prompt: 'a red fox in snow' });
    s.update('old', { status: 'COMPLETED', progress: 100, prompt: 'a cat surfing' });
    s.update('new', { status: 'FAILED', error: 'content policy', prompt: 'a red fox in snow' });
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([
      expect.objectContaining({ title: 'Video ready', body: 'a cat surfing' }),
      expect.objectContaining({ title: 'Video failed', body: 'content policy (a red fox in snow)' }),
    ]);
    FakeNotification.shown[1].click();
    expect(s.win.focused).toBe(1);
    expect(s.shownTasks).toEqual(['new']);
  });

  it('does not announce a task that was already finished (a later download update, a restart)', async () => {
    const s = await setup((update) => update('done', { status: 'COMPLETED', progress: 100 }));
    s.update('done', { localPath: '/videos/done.mp4' });
    s.update('cancelled', { status: 'CANCELLED' });
    expect(FakeNotification.shown).toEqual([]);
  });

  it('shows the mean progress of active jobs on the taskbar and clears it when none is active', async () => {
    const s = await setup((update) => update('a', { status: 'PROCESSING', progress: 20 }));
    expect(s.win.progress).toBeCloseTo(0.2);
    s.update('b', { status: 'PROCESSING', progress: 60 });
    expect(s.win.progress).toBeCloseTo(0.4);
    s.update('a', { status: 'COMPLETED', progress: 100 });
    s.update('b', { status: 'FAILED' });
    expect(s.win.progress).toBe(-1);
  });

  it('keeps tray counts of active, completed and failed jobs, with Show and Quit', async () => {
    const s = await setup((update) => {
      update('a', { status: 'PROCESSING' });
      update('b', { status: 'COMPLETED' });
    });
    expect(s.trayLabels()).toEqual(['Active: 1', 'Completed: 1', 'Failed: 0', 'Show SoraDesk', 'Quit']);
    s.update('c', { status: 'QUEUED' });
    s.update('a', { status: 'FAILED' });
    // Counts come back from the core's getStats, asynchronously.
    await vi.waitFor(() => expect(s.trayLabels()).toEqual(['Active: 1', 'Completed: 1', 'Failed: 1', 'Show SoraDesk', 'Quit']));
    const items = FakeTray.instances[0].menu!.items;
    items.find((i) => i.label === 'Show SoraDesk')!.click!();
    items.find((i) => i.label === 'Quit')!.click!();
    expect(s.win.focused).toBe(1);
    expect(s.quits()).toBe(1);
  });
});
