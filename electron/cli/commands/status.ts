// `soradesk status ID`: a task's state, freshly asked from the provider while it runs.
import type { TaskView } from '@shared/contract/task';
import type { CliCommand } from '../cli-program';

/** The task as a few `label  value` lines. */
export function describeTask(t: TaskView): string {
  const rows: Array<[string, string | null]> = [
    ['task', `${t.videoId}  ${t.status} ${t.progress}%`],
    ['provider', `${t.providerId}${t.externalId ? `  (job ${t.externalId})` : ''}`],
    ['model', [t.model, t.seconds && `${t.seconds} s`, t.size].filter(Boolean).join('  ') || null],
    ['prompt', t.prompt],
    ['created', t.createdAt],
    ['updated', t.updatedAt],
    ['completed', t.completedAt],
    ['file', t.localPath],
    ['error', t.error && `${t.error}${t.errorCode ? ` (${t.errorCode})` : ''}`],
    ['remix of', t.remixOf],
  ];
  return rows.filter(([, v]) => v).map(([k, v]) => `${k.padEnd(10)}${v}`).join('\n');
}

export const statusCommand: CliCommand = (program, run) => {
  program
    .command('status')
    .description("show a task's state (a running task's progress is asked from its provider)")
    .argument('<id>', 'the task id (as create and list print it)')
    .action((id: string) =>
      run(async (ctx) => {
        const task = await (await ctx.connect()).client.request('requestTaskStatus', { videoId: id });
        ctx.out.event('task', { task });
        ctx.out.result(describeTask(task));
      }),
    );
};
