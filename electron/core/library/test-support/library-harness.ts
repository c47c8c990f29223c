// For tests: the real service, store and hub (service-test-harness) over the real demo simulator,
// with a library on top writing to a temp folder.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerPayload } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { silentLogger } from '../../log';
import { defaultSampleDir } from '../../providers/simulator/sim-media';
import { startSimulator, type Simulator } from '../../providers/simulator/simulator';
import { openHarness, type Harness } from '../../tasks/test-support/service-harness';
import { createLibrary, type Library, type LibraryDeps } from '../library';

export const SAMPLE_VIDEO = fs.readFileSync(path.join(defaultSampleDir(), 'sample.mp4'));
export const SAMPLE_THUMBNAIL = fs.readFileSync(path.join(defaultSampleDir(), 'thumbnail.jpg'));
const JOB_MS = 60;

export interface LibraryHarness {
  h: Harness;
  sim: Simulator;
  library: Library;
  /** The default library folder (empty at first, not created). */
  videosDir: string;
  /** A demo task taken to COMPLETED through the real service. */
  completeTask(prompt?: string): Promise<TaskView>;
  notices(): Array<ServerPayload<'notice'>>;
  /** Requests the simulator got for job content. */
  contentRequests(): number;
  /** keepDir: the data dir stays for a restart on it. keepSim: the simulator stays up. */
  close(opts?: { keepDir?: boolean; keepSim?: boolean }): Promise<void>;
}

export async function openLibraryHarness(opts: { dir?: string; sim?: Simulator; library?: Partial<LibraryDeps>; start?: boolean } = {}): Promise<LibraryHarness> {
  const sim = opts.sim ?? (await startSimulator({ jobDurationMs: JOB_MS, recordRequests: true }));
  const h = await openHarness({ dialect: 'openai', baseUrl: sim.baseUrl, dir: opts.dir, clientTimeoutMs: 2000 });
  const videosDir = path.join(h.dir, 'videos');
  const library = createLibrary({
    store: h.store, hub: h.hub, service: h.service, settings: h.settings, clock: h.clock, logger: silentLogger,
    defaultDir: videosDir, retryBaseMs: 10, ...opts.library,
  });
  if (opts.start !== false) library.start();
  return {
    h, sim, library, videosDir,
    async completeTask(prompt = 'A calico cat playing a piano on stage') {
      const view = await h.service.createTask('local', { prompt, providerId: h.providerId });
      await h.service.idle();
      for (;;) {
        await new Promise((r) => setTimeout(r, JOB_MS));
        const now = await h.service.refreshTask(view.videoId);
        if (now.status === 'COMPLETED') return now;
        if (now.status === 'FAILED' || now.status === 'CANCELLED') throw new Error(`demo task ended ${now.status}`);
      }
    },
    notices: () => h.conn.sent.filter((m) => m.type === 'notice').map((m) => m.payload as ServerPayload<'notice'>),
    contentRequests: () => sim.requests.filter((r) => r.path.includes('/content')).length,
    async close(o = {}) {
      library.stop();
      await library.idle();
      await h.close({ keepDir: o.keepDir });
      if (!o.keepSim) await sim.close();
    },
  };
}

/** Every file name in `dir` (none when it does not exist). */
export function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}
