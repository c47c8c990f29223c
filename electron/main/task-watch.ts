// Follows tasks for the desktop extras (tray counts, taskbar progress, notifications) through the shell's
// own client: it seeds from listTasks/getStats, then lives on taskUpdated pushes. No Electron here.
import type { TaskView } from '@shared/contract/task';
import { ACTIVE_STATUSES, isActive } from '@shared/contract/values';
import type { Logger } from '../core/log';
import type { ShellClient } from './core-client';

export interface TaskSummary {
  active: number;
  completed: number;
  failed: number;
  /** Mean progress of active tasks as 0..1, or null when none is active. */
  progress: number | null;
}

export interface TaskWatchEvents {
  onSummary(summary: TaskSummary): void;
  /** A task this app saw active has just finished. */
  onFinished(task: TaskView, outcome: 'completed' | 'failed'): void;
}

export interface TaskWatch {
  /** Resolves once the first summary is out. */
  readonly ready: Promise<void>;
  summary(): TaskSummary;
  stop(): void;
}

export function watchTasks(client: ShellClient, events: TaskWatchEvents, logger: Logger): TaskWatch {
  const active = new Map<string, number>();
  let counts = { completed: 0, failed: 0 };
  let stopped = false;
  let statsInFlight = false;
  let statsAgain = false;

  const summary = (): TaskSummary => {
    let sum = 0;
    for (const p of active.values()) sum += p;
    return {
      active: active.size,
      completed: counts.completed,
      failed: counts.failed,
      progress: active.size === 0 ? null : sum / active.size / 100,
    };
  };
  const publish = () => { if (!stopped) events.onSummary(summary()); };

  // Counts come from the core (it knows deleted tasks); one request at a time, one more if changes piled up.
  const refreshStats = async (): Promise<void> => {
    if (statsInFlight) { statsAgain = true; return; }
    statsInFlight = true;
    try {
      do {
        statsAgain = false;
        const stats = await client.request('getStats');
        counts = { completed: stats.byStatus.COMPLETED ?? 0, failed: stats.byStatus.FAILED ?? 0 };
      } while (statsAgain && !stopped);
      publish();
    } catch (err) {
      if (!stopped) logger.warn('tray counts unavailable', { err });
    } finally {
      statsInFlight = false;
    }
  };

  const onTask = (task: TaskView) => {
    const wasActive = active.has(task.videoId);
    if (isActive(task.status)) {
      active.set(task.videoId, task.progress);
    } else {
      active.delete(task.videoId);
      // Only a task seen active here is announced: a later push for an old task (a finished download,
      // a restart) is not news.
      if (wasActive && task.status === 'COMPLETED') events.onFinished(task, 'completed');
      if (wasActive && task.status === 'FAILED') events.onFinished(task, 'failed');
    }
    publish();
    void refreshStats();
  };

  const unsubscribe = client.onPush((msg) => {
    if (msg.type === 'taskUpdated') onTask(msg.payload);
    else if (msg.type === 'taskDeleted') {
      active.delete(msg.payload.videoId);
      publish();
      void refreshStats();
    }
  });

  const seed = async () => {
    try {
      const { tasks } = await client.request('listTasks', { status: [...ACTIVE_STATUSES], limit: 500 });
      for (const task of tasks) {
        // A push may have arrived meanwhile and is newer than the list.
        if (!active.has(task.videoId) && isActive(task.status)) active.set(task.videoId, task.progress);
      }
    } catch (err) {
      logger.warn('could not list active tasks', { err });
    }
    await refreshStats();
    publish();
  };

  return {
    ready: seed(),
    summary,
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
