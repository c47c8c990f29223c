// `soradesk wait ID [--out FILE]`: follows a task to its end (progress on stderr); exit 0 when it
// completed, 1 when it failed or was cancelled. `create --wait` ends here too.
import type { TaskView } from '@shared/contract/task';
import { CLI_EXIT, CliError, type CliExitCode } from '../cli-errors';
import type { CliCommand, CommandContext } from '../cli-program';
import type { ServiceSession } from '../cli-session';
import { endedWithoutVideo, followTask } from '../task-follow';
import { saveVideo } from '../video-file';

/** How long a finished video may take to reach the library before the command stops waiting for it. */
const KEEP_LIMIT_MS = 60_000;

function stoppedWaiting(session: ServiceSession, videoId: string): CliError {
  const where = session.ownCore
    ? 'No SoraDesk is running, so the job goes on at the provider and SoraDesk follows it when it next runs'
    : 'The job goes on in SoraDesk';
  return new CliError(CLI_EXIT.interrupted, `Stopped waiting for ${videoId}. ${where}; \`soradesk wait ${videoId}\` follows it again.`, 'INTERRUPTED');
}

/** The library's copy of a completed video (autoDownload): the file the command answers with, kept before an own core stops. */
async function keptInLibrary(ctx: CommandContext, session: ServiceSession, task: TaskView): Promise<TaskView> {
  const { settings } = await session.client.request('getSettings');
  if (task.localPath || !settings.autoDownload) return task;
  return followTask(session.client, task.videoId, {
    onUpdate: ctx.out.progress,
    signal: ctx.signal,
    until: (t) => t.localPath !== null,
    stopOnNotice: (n) => n.code === 'DOWNLOAD_FAILED' && n.videoId === task.videoId,
    limitMs: KEEP_LIMIT_MS,
  });
}

/** Follows `videoId` to its end, then keeps and saves its video; the command's exit code. */
export async function followToEnd(ctx: CommandContext, session: ServiceSession, videoId: string, outFile?: string): Promise<CliExitCode> {
  const { out } = ctx;
  let end: TaskView;
  try {
    end = await followTask(session.client, videoId, { onUpdate: out.progress, signal: ctx.signal });
    if (end.status !== 'COMPLETED') throw endedWithoutVideo(end);
    // Through the library unless --out fetches it anyway from a service that stays up.
    if (session.ownCore || !outFile) end = await keptInLibrary(ctx, session, end);
  } catch (err) {
    throw err instanceof CliError && err.exitCode === CLI_EXIT.interrupted ? stoppedWaiting(session, videoId) : err;
  }
  out.endProgress();
  if (outFile) {
    const saved = await saveVideo(session, end, outFile, ctx.signal);
    out.event('saved', { ...saved });
    out.result(saved.path);
  } else if (end.localPath) {
    out.result(end.localPath);
  } else {
    out.note(`${videoId} is done but not kept on this machine yet: soradesk download ${videoId} --out FILE saves it.`);
  }
  return CLI_EXIT.ok;
}

export const waitCommand: CliCommand = (program, run) => {
  program
    .command('wait')
    .description('wait until a task ends, showing its progress; prints the video file')
    .argument('<id>', 'the task id (as create and list print it)')
    .option('--out <file>', 'save the finished video to FILE (or into FILE when it is a folder)')
    .action((id: string, opts: { out?: string }) =>
      run(async (ctx) => followToEnd(ctx, await ctx.connect(), id, opts.out)),
    );
};
