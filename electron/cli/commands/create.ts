// `soradesk create "prompt" [--provider --model --seconds --size --image FILE] [--wait] [--out FILE]`.
import { CreateTaskPayloadSchema, MAX_FRAME_BYTES, type CreateTaskPayload } from '@shared/contract/messages';
import { usageError } from '../cli-errors';
import type { CliCommand, CommandContext } from '../cli-program';
import type { ServiceSession } from '../cli-session';
import { imageReference } from '../image-reference';
import { endedWithoutVideo, followTask } from '../task-follow';
import { followToEnd } from './wait';

interface CreateOptions {
  provider?: string;
  model?: string;
  seconds?: string;
  size?: string;
  image?: string;
  wait?: boolean;
  out?: string;
}

/** How long an own core waits for the provider to accept the job before it stops (it is sent again at the next start). */
const SUBMIT_LIMIT_MS = 30_000;

const OPTION_OF: Record<string, string> = { providerId: '--provider', inputReference: '--image' };

/** The payload, checked against the contract before anything is sent: a bad value is a usage error (exit 2). */
function createPayload(prompt: string, o: CreateOptions): CreateTaskPayload {
  const payload = {
    prompt,
    ...(o.provider !== undefined && { providerId: o.provider }),
    ...(o.model !== undefined && { model: o.model }),
    ...(o.seconds !== undefined && { seconds: o.seconds }),
    ...(o.size !== undefined && { size: o.size }),
    ...(o.image !== undefined && { inputReference: imageReference(o.image) }),
  };
  const checked = CreateTaskPayloadSchema.safeParse(payload);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = String(issue.path[0] ?? 'prompt');
    throw usageError(`${OPTION_OF[field] ?? (field === 'prompt' ? 'the prompt' : `--${field}`)}: ${issue.message}`);
  }
  // The local API takes frames of at most 1 MiB; a reference image is inside the frame, base64-encoded.
  const frameBytes = Buffer.byteLength(JSON.stringify({ type: 'createTask', id: 'cli-1', payload }));
  if (frameBytes > MAX_FRAME_BYTES) {
    throw usageError(`--image ${o.image}: the request would be ${Math.ceil(frameBytes / 1024)} KiB, over the local API's ${MAX_FRAME_BYTES / 1024} KiB; use an image under about 750 KB.`);
  }
  return payload;
}

/** Without --wait an own core stays until the provider has the job, so stopping loses nothing. */
async function untilSubmitted(ctx: CommandContext, session: ServiceSession, videoId: string): Promise<void> {
  const task = await followTask(session.client, videoId, { onUpdate: () => undefined, signal: ctx.signal, until: (t) => t.status !== 'PENDING', limitMs: SUBMIT_LIMIT_MS });
  if (task.status === 'FAILED' || task.status === 'CANCELLED') throw endedWithoutVideo(task);
  const what = task.status === 'PENDING'
    ? 'stored the job, but the provider could not be reached yet; SoraDesk sends it'
    : 'handed the job to the provider; SoraDesk follows it';
  ctx.out.note(`No SoraDesk is running, so this command ran one until it ${what} when it next runs (the app, npm run serve, or soradesk wait ${videoId}).`);
}

export const createCommand: CliCommand = (program, run) => {
  program
    .command('create')
    .description('make a video from a prompt; prints the task id (with --wait: the video file)')
    .argument('<prompt>', 'what the video shows')
    .option('--provider <id>', 'provider profile id (default: the default provider in Settings; `soradesk providers` lists them)')
    .option('--model <name>', 'model id, e.g. veo-3.1-fast-generate-001 (default: the first in the provider\'s catalog)')
    .option('--seconds <n>', 'length in seconds, e.g. 4')
    .option('--size <WxH>', 'frame size, e.g. 1280x720')
    .option('--image <file>', 'a reference image (PNG, JPEG or WebP, up to about 750 KB)')
    .option('--wait', 'wait until the video is finished, showing progress')
    .option('--out <file>', 'with --wait: save the finished video to FILE')
    .action((prompt: string, o: CreateOptions) =>
      run(async (ctx) => {
        if (o.out !== undefined && !o.wait) throw usageError('--out needs --wait (or use `soradesk download ID --out FILE` later).');
        const payload = createPayload(prompt, o);
        const session = await ctx.connect();
        const { task } = await session.client.request('createTask', payload);
        ctx.out.event('created', { task });
        if (o.wait) {
          ctx.out.note(`Created ${task.videoId} (${task.providerId}); waiting for it (Ctrl-C stops waiting, the job goes on).`);
          return followToEnd(ctx, session, task.videoId, o.out);
        }
        if (session.ownCore) await untilSubmitted(ctx, session, task.videoId);
        ctx.out.result(task.videoId);
      }),
    );
};
