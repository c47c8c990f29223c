// The renderer's task model under a burst of pushes: 10,000 tasks loaded, 1,000 taskUpdated pushes.
// Baseline: the previous approach, kept below as a copy. Every push invalidated the sorted list and
// notified React at once, so each push cost one render that re-sorted every loaded task.
// Candidate: the current TaskState (pushes placed in place by binary search) behind the
// ChangeNotifier, which tells React once per frame; so the burst costs 1,000 merges and one render.
import type { TaskStatus } from '@shared/contract/status';
import type { TaskView } from '@shared/contract/task';
import { ChangeNotifier } from '../renderer/src/state/change-notifier';
import { compareNewestFirst, isNewer, TaskState } from '../renderer/src/state/task-state';
import type { BenchCase } from './run';

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
let oldState: OldTaskState;
let newState: TaskState;
let notifier: ChangeNotifier;
/** Frames are simulated: the candidate's flush runs when the burst is over, as the next frame would. */
let frame: (() => void) | null = null;
let renders = 0;

async function setup(): Promise<void> {
  // The old render read the list on each notification.
  oldState = new OldTaskState(() => void oldState.list());
  newState = new TaskState();
  newState.replacePage({ tasks: loaded, nextCursor: null, total: LOADED });
  for (const t of loaded) oldState.merge(t);
  notifier = new ChangeNotifier((flush) => void (frame = flush));
  notifier.subscribe(() => {
    renders += 1;
    newState.list();
  });
  newState.subscribe(() => notifier.changed());
}

const cases: BenchCase[] = [
  {
    name: `${LOADED} tasks loaded, ${PUSHES} taskUpdated pushes applied and rendered`,
    iterations: 10,
    setup,
    baseline: () => {
      for (const p of pushes()) oldState.merge(p);
    },
    candidate: () => {
      for (const p of pushes()) newState.merge(p);
      frame?.();
      frame = null;
    },
    teardown: async () => {
      if (renders === 0) throw new Error('the candidate never rendered');
    },
  },
  {
    name: `${LOADED} tasks loaded, ${PUSHES} pushes, a render after every push on both sides (in-place order alone)`,
    iterations: 10,
    setup,
    baseline: () => {
      for (const p of pushes()) oldState.merge(p);
    },
    candidate: () => {
      for (const p of pushes()) {
        newState.merge(p);
        newState.list();
      }
    },
  },
];

export default cases;
