// What a `soradesk` command prints. Without --json: its answer on stdout (an id, a path, a table) and
// everything for the human on stderr (notes, the progress bar on a terminal, a line per change
// otherwise). With --json: one JSON object per event on stdout, `{"event": name, ...}`, nothing else
// there; stderr still carries the human lines.
import type { TaskView } from '@shared/contract/task';
import { terminalBar, type TerminalBar } from './progress-bar';

export interface CliOutput {
  readonly json: boolean;
  /** --json only: one line `{"event": name, ...fields}` on stdout. */
  event(name: string, fields?: Record<string, unknown>): void;
  /** Without --json: the command's answer on stdout. */
  result(text: string): void;
  /** A line for the human on stderr (either mode). */
  note(text: string): void;
  /** A followed task changed: the bar on a terminal, `STATUS N%` lines otherwise, an `update` event with --json. */
  progress(task: TaskView): void;
  /** Ends the bar's line before anything else is printed. */
  endProgress(): void;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
}

export function createOutput(json: boolean, streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr }): CliOutput {
  const { stdout, stderr } = streams;
  const bar: TerminalBar | null = !json && 'isTTY' in stderr && stderr.isTTY ? terminalBar(stderr) : null;
  let lastShown = '';
  const endProgress = () => bar?.end();
  return {
    json,
    event(name, fields = {}) {
      if (json) stdout.write(`${JSON.stringify({ event: name, ...fields })}\n`);
    },
    result(text) {
      if (json) return;
      endProgress();
      stdout.write(`${text}\n`);
    },
    note(text) {
      endProgress();
      stderr.write(`${text}\n`);
    },
    progress(task) {
      // A change a reader would see; a push that repeats the state (another client asked) is not one.
      const shown = `${task.status} ${task.progress}${json ? ` ${task.localPath ?? ''}` : ''}`;
      if (shown === lastShown) return;
      lastShown = shown;
      if (json) stdout.write(`${JSON.stringify({ event: 'update', task })}\n`);
      else if (bar) bar.show(task);
      else stderr.write(`${task.status} ${task.progress}%\n`);
    },
    endProgress,
  };
}
