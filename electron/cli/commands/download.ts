// `soradesk download ID --out FILE`: a finished task's video, from the library or through SoraDesk.
import type { CliCommand } from '../cli-program';
import { saveVideo } from '../video-file';

export const downloadCommand: CliCommand = (program, run) => {
  program
    .command('download')
    .description("save a finished task's video; prints the file's path")
    .argument('<id>', 'the task id (as create and list print it)')
    .requiredOption('--out <file>', 'where to save it (a folder: under the kept file\'s name)')
    .action((id: string, opts: { out: string }) =>
      run(async (ctx) => {
        const session = await ctx.connect();
        const task = await session.client.request('getTask', { videoId: id });
        const saved = await saveVideo(session, task, opts.out, ctx.signal);
        ctx.out.event('saved', { ...saved });
        ctx.out.result(saved.path);
      }),
    );
};
