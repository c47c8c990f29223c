// `soradesk cancel ID`: SoraDesk stops following the task (CANCELLED); the provider's job is not deleted.
import type { CliCommand } from '../cli-program';

export const cancelCommand: CliCommand = (program, run) => {
  program
    .command('cancel')
    .description('cancel a task: SoraDesk stops following it (the provider is not asked to delete the job)')
    .argument('<id>', 'the task id (as create and list print it)')
    .action((id: string) =>
      run(async (ctx) => {
        const task = await (await ctx.connect()).client.request('cancelTask', { videoId: id });
        ctx.out.event('cancelled', { task });
        ctx.out.result(`${task.status} ${task.videoId}`);
      }),
    );
};
