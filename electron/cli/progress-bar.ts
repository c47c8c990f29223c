// The one-line progress bar a terminal user sees while a task runs (stderr, redrawn in place).
import type { TaskView } from '@shared/contract/task';

/** `1:05`: minutes and seconds since the command began waiting. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `tsk_…  PROCESSING [=========>          ]  42%  0:12`, no wider than `columns`. */
export function progressLine(task: Pick<TaskView, 'videoId' | 'status' | 'progress'>, columns: number, elapsedMs: number): string {
  const head = `${task.videoId}  ${task.status.padEnd(10)} `;
  const tail = ` ${String(task.progress).padStart(3)}%  ${formatElapsed(elapsedMs)}`;
  const barWidth = Math.min(40, columns - 1 - head.length - tail.length - 2);
  if (barWidth < 5) return `${task.status} ${task.progress}%`.slice(0, Math.max(0, columns - 1));
  const filled = Math.round((task.progress / 100) * barWidth);
  const bar = filled >= barWidth ? '='.repeat(barWidth) : `${'='.repeat(filled)}>${' '.repeat(barWidth - filled - 1)}`;
  return `${head}[${bar}]${tail}`;
}

export interface TerminalBar {
  show(task: TaskView): void;
  /** Leaves the last state on its own line, so what follows starts on a fresh one. */
  end(): void;
}

/** Draws on `stream` (a TTY) and keeps the clock moving between updates. */
export function terminalBar(stream: NodeJS.WriteStream, now: () => number = Date.now): TerminalBar {
  const started = now();
  let last: TaskView | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const draw = () => {
    if (last) stream.write(`\r${progressLine(last, stream.columns || 80, now() - started)}\x1b[K`);
  };
  return {
    show(task) {
      last = task;
      draw();
      timer ??= setInterval(draw, 1000);
      timer.unref();
    },
    end() {
      if (timer) clearInterval(timer);
      timer = null;
      if (last) stream.write('\n');
      last = null;
    },
  };
}
