// What each dialect's routes of the simulator work with.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock';
import type { FaultSwitch } from './sim-faults';
import type { SimJob, SimJobs } from './sim-jobs';
import type { SampleMedia } from './sim-media';

export interface SimContext {
  jobs: SimJobs;
  faults: FaultSwitch;
  media: SampleMedia;
  clock: Clock;
  /** The origins the simulator names in the URLs it hands out (the demo's stable names, or its real ports). */
  publicApi: string;
  publicMedia: string;
  /** openai-poll-after-ms */
  pollAfterMs: string;
}

export interface SimRoute {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** Path segments after the dialect's prefix, decoded. */
  parts: string[];
}

/** Where a job's video (or thumbnail) is on the media host. */
export function mediaUrl(ctx: SimContext, job: SimJob, kind: 'video' | 'thumbnail'): string {
  return `${ctx.publicMedia}/media/${job.media}.${kind === 'video' ? 'mp4' : 'jpg'}`;
}
