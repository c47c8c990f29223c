// What the OS shows about jobs: a notification when one completes or fails (a click brings the window
// back on that task), the active jobs' mean progress on the taskbar/dock, and a tray menu with counts.
import { Menu, Notification, Tray, nativeImage, type BrowserWindow } from 'electron';
import type { TaskView } from '@shared/contract/task';
import type { TaskSummary } from './task-watch';

export interface DesktopStatusOptions {
  getWindow(): BrowserWindow | null;
  showWindow(): void;
  /** Brings the window back on this task (a notification click). */
  showTask(videoId: string): void;
  quit(): void;
  /** Tray icon file; no tray when absent or the platform has none. */
  trayIconPath?: string;
}

export interface DesktopStatus {
  summary(s: TaskSummary): void;
  finished(task: TaskView, outcome: 'completed' | 'failed'): void;
  destroy(): void;
}

const shorten = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function createDesktopStatus(opts: DesktopStatusOptions): DesktopStatus {
  let tray: Tray | null = null;
  if (opts.trayIconPath) {
    try {
      tray = new Tray(nativeImage.createFromPath(opts.trayIconPath));
      tray.setToolTip('SoraDesk');
      tray.on('click', () => opts.showWindow());
    } catch {
      // Some Linux desktops have no status area; the app works without a tray.
      tray = null;
    }
  }
  // Keep live notifications referenced: a collected Notification loses its click handler.
  const live = new Set<Notification>();

  const renderTray = (s: TaskSummary) => {
    if (!tray) return;
    tray.setToolTip(s.active > 0 ? `SoraDesk: ${s.active} active` : 'SoraDesk');
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: `Active: ${s.active}`, enabled: false },
      { label: `Completed: ${s.completed}`, enabled: false },
      { label: `Failed: ${s.failed}`, enabled: false },
      { type: 'separator' },
      { label: 'Show SoraDesk', click: () => opts.showWindow() },
      { label: 'Quit', click: () => opts.quit() },
    ]));
  };

  return {
    summary(s) {
      const win = opts.getWindow();
      // -1 removes the bar; Electron wants 0..1 while work is in progress.
      if (win && !win.isDestroyed()) win.setProgressBar(s.progress === null ? -1 : Math.min(1, Math.max(0, s.progress)));
      renderTray(s);
    },
    finished(task, outcome) {
      if (!Notification.isSupported()) return;
      const n = new Notification(outcome === 'completed'
        ? { title: 'Video ready', body: shorten(task.prompt) }
        : { title: 'Video failed', body: shorten(task.error ? `${task.error} (${task.prompt})` : task.prompt) });
      live.add(n);
      n.on('click', () => { live.delete(n); opts.showTask(task.videoId); });
      n.on('close', () => live.delete(n));
      n.show();
    },
    destroy() {
      tray?.destroy();
      tray = null;
      live.clear();
    },
  };
}
