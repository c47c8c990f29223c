// The renderer's task model under a burst of pushes: 10,000 tasks loaded, 1,000 taskUpdated pushes.
// Baseline: the previous approach, kept below as a copy. Every push invalidated the sorted list and
// notified React at once, so each push cost one render that re-sorted every loaded task.
// Candidate: the current TaskState (pushes placed in place by binary search) behind the
// ChangeNotifier, which tells React once per frame; so the burst costs 1,000 merges and one render.
import type { TaskStatus } from '@shared/contract/status';
import type { TaskView } from '@shared/contract/task';
import { ChangeNotifier } from '../renderer/src/state/change-notifier';
import { compareNewestFirst, isNewer, TaskState } from '../renderer/src/state/task-state';
import type { BenchCase, Figure } from './support/figures';
import { alternate, median, timed } from './support/stats';

const LOADED = 10_000;
const PUSHES = 1_000;
const T0 = Date.parse('2025-01-01T00:00:00.000Z');

function task(n: number, over: Partial<TaskView> = {}): TaskView {
  const createdAt = new Date(T0 + n * 1000).toISOString();
  return {
    videoId: `video_${String(n).padStart(6, '0')}`, externalId: `ext_${n}`, providerId: 'demo', status: 'PROCESSING',
    progress: 0, prompt: `bench prompt number ${n}`, model: 'sora-2', seconds: '4', size: '1280x720', videoUrl: null,
    localPath: null, thumbnailUrl: null, error: null, errorCode: null, createdAt, updatedAt: createdAt,
    completedAt: null, expiresAt: null, remixOf: null, progressHistory: [], etaAt: null, etaBasis: null, queuePosition: null, ...over,
  };
}

// ---- BASELINE: a copy of the previous apply-and-resort logic (for comparison only) ----------------
class OldTaskState {
  private readonly tasks = new Map<string, TaskView>();
  private sorted: TaskView[] | null = null;
  constructor(private readonly onChange: () => void) {}
  list(): TaskView[] {
    if (!this.sorted) this.sorted = [...this.tasks.values()].sort(compareNewestFirst);
    return this.sorted;
  }
  merge(t: TaskView): void {
    const previous = this.tasks.get(t.videoId);
    if (previous && !isNewer(t, previous)) return;
    this.tasks.set(t.videoId, t);
    this.sorted = null;
    this.onChange(); // the old AppModel notified React synchronously: one render per push
  }
}
// ---------------------------------------------------------------------------------------------------

const STATUSES: TaskStatus[] = ['PROCESSING', 'PROCESSING', 'PROCESSING', 'COMPLETED', 'FAILED'];
/** Every round sends newer pushes than the last, so the merge rule applies each one. */
let round = 0;
function pushes(): TaskView[] {
  round += 1;
  const at = T0 + LOADED * 1000 + round * PUSHES * 10;
  return Array.from({ length: PUSHES }, (_, i) => {
    const n = (i * 7919) % LOADED; // spread over the list, not just its head
    return task(n, { status: STATUSES[i % STATUSES.length], progress: (round + i) % 100, updatedAt: new Date(at + i).toISOString() });
  });
}

const loaded = Array.from({ length: LOADED }, (_, n) => task(n));

function models() {
  // The old render read the list on each notification.
  const oldState: OldTaskState = new OldTaskState(() => void oldState.list());
  const newState = new TaskState();
  newState.replacePage({ tasks: loaded, nextCursor: null, total: LOADED });
  for (const t of loaded) oldState.merge(t);
  /** Frames are simulated: the candidate's flush runs when the burst is over, as the next frame would. */
  let frame: (() => void) | null = null;
  let renders = 0;
  const notifier = new ChangeNotifier((flush) => void (frame = flush));
  notifier.subscribe(() => {
    renders += 1;
    newState.list();
  });
  newState.subscribe(() => notifier.changed());
  const nextFrame = () => {
    frame?.();
    frame = null;
  };
  return { oldState, newState, nextFrame, renders: () => renders };
}

function figure(name: string, r: { baseline: number[]; candidate: number[] }, target: number): Figure {
  return {
    name, unit: 'ms', baselineIs: 'the previous model (a full re-sort and a render per push; kept above as a copy)',
    baseline: median(r.baseline), candidate: median(r.candidate), target: { ratioAtMost: target }, rounds: r.candidate.length,
  };
}

/** The old model against the current one, the candidate applying each round's pushes with `apply`. */
function modelCase(name: string, target: number, apply: (m: ReturnType<typeof models>, pushes: TaskView[]) => void, opts: { renders?: boolean } = {}): BenchCase {
  return {
    name,
    async run(ctx) {
      const m = models();
      const r = await alternate(
        { rounds: ctx.quick ? 3 : 10, warmup: 2 },
        () => timed(() => { for (const p of pushes()) m.oldState.merge(p); }),
        () => timed(() => apply(m, pushes())),
      );
      if (opts.renders && m.renders() === 0) throw new Error('the candidate never rendered');
      return [figure(name, r, target)];
    },
  };
}

const cases: BenchCase[] = [
  modelCase(`${LOADED} tasks loaded, ${PUSHES} taskUpdated pushes applied and rendered`, 0.1, (m, batch) => {
    for (const p of batch) m.newState.merge(p);
    m.nextFrame();
  }, { renders: true }),
  modelCase(`${LOADED} tasks loaded, ${PUSHES} pushes, a render after every push on both sides (in-place order alone)`, 0.5, (m, batch) => {
    for (const p of batch) {
      m.newState.merge(p);
      m.newState.list();
    }
  }),
];

export default cases;
