// The single authority on how hard we call each provider: every upstream API call (create, retrieve,
// list pages, remix, delete, the connection test) waits here for a free concurrency slot AND its turn
// under the provider's per-minute cap. Calls are paced, not let through in bursts: starts are spread
// evenly, one every 60 s / (PACE x perMinute) (a leaky bucket on a fixed grid), so an upstream that
// counts per second sees the same even rate as one that counts per minute, and no 60 s span holds more
// than PACE x perMinute starts (the rest is margin for the network's skew). A sliding window over start
// times stays as a hard cap of perMinute. Higher priority goes first, FIFO within a priority.
// Time comes only from the injected Clock, so tests drive it by hand.
import type { Clock } from '../clock';
import { UpstreamError, type ProviderClient } from '../providers/provider-client';

/** Who is waiting: a person at the UI, a task someone watches, or the poller's routine rounds. */
export type GatePriority = 'interactive' | 'watched' | 'background';

const RANK: Record<GatePriority, number> = { interactive: 2, watched: 1, background: 0 };

export const higherPriority = (a: GatePriority, b: GatePriority): GatePriority => (RANK[a] >= RANK[b] ? a : b);

export interface ProviderLimits {
  /** Calls open at once. */
  concurrency: number;
  /** Call starts in any 60 s window (null: no cap). */
  perMinute: number | null;
}

/**
 * How long a person's request (requestTaskStatus, a connection test) may wait for a token. Longer
 * than that, the reply is RATE_LIMITED with the wait at once rather than a client left hanging; the
 * poller keeps following the task and brings the news when tokens are back.
 */
export const INTERACTIVE_MAX_WAIT_MS = 30_000;

/** Calls open at once per provider unless told otherwise (the poller's queue bound matches it). */
export const DEFAULT_PROVIDER_CONCURRENCY = 4;

/** The limits of providers known to a lookup: their rateLimitPerMinute, and one concurrency for all. */
export function providerLimits(
  providers: { get(id: string): { rateLimitPerMinute: number | null } | undefined },
  concurrency = DEFAULT_PROVIDER_CONCURRENCY,
): (providerId: string) => ProviderLimits {
  return (providerId) => ({ concurrency, perMinute: providers.get(providerId)?.rateLimitPerMinute ?? null });
}

export interface RunOptions {
  /**
   * Patience of the caller: when the estimated wait for a token is longer, the call is refused at once
   * with RATE_LIMITED instead of queueing (for a person waiting on a reply). Unset: wait as long as it takes.
   */
  maxWaitMs?: number;
}

/** The gate's own "no": nothing was sent, so it is no fault of the upstream's and counts as no attempt. */
export class GateRefusal extends UpstreamError {}

export interface ProviderGate {
  /** Runs `fn` once the provider has a slot and a token. `priority` may be a function: it is read at every dispatch, so a shared call can be raised while it waits. */
  run<T>(providerId: string, priority: GatePriority | (() => GatePriority), fn: () => Promise<T>, opts?: RunOptions): Promise<T>;
  /** The RATE_LIMITED error a new call at this priority would get now with this patience, or null. */
  refusal(providerId: string, priority: GatePriority, maxWaitMs: number): GateRefusal | null;
  /** Calls started and not yet settled (all providers). */
  openCalls(): number;
  /** Calls waiting for a slot or a token (all providers). */
  queuedCalls(): number;
  /** Shutdown: every waiter gives up with an error saying nothing was sent; calls already open finish. */
  close(): void;
}

interface Waiter {
  seq: number;
  priority: () => GatePriority;
  start: () => void;
  reject: (err: Error) => void;
}

interface Lane {
  queue: Waiter[];
  open: number;
  /** Start times within the last minute, oldest first. */
  starts: number[];
  /** The paced slot of the next start (a start waits for it). */
  nextAt: number;
  timer: { handle: unknown; at: number } | null;
}

const MINUTE = 60_000;

/** Share of perMinute the pace uses: at least 0.9 of the limit when demand exceeds it, and a margin below it. */
export const PACE = 0.95;

/** The time between two paced starts. */
export const pacedSpacingMs = (perMinute: number): number => MINUTE / (perMinute * PACE);

/** When a call may start at the earliest: its paced slot, and never the (perMinute+1)th start in 60 s. */
function earliestStart(starts: number[], nextAt: number, perMinute: number, now: number): number {
  const at = Math.max(now, nextAt);
  return starts.length >= perMinute ? Math.max(at, starts[starts.length - perMinute] + MINUTE) : at;
}

/**
 * The slot after a start at `now` that was due at `slot`: the grid goes on when the start came less than
 * one spacing late (a late timer or a busy slot does not cost a slot), and restarts from now after an idle spell.
 */
function slotAfter(slot: number, now: number, spacing: number): number {
  return now - slot < spacing ? slot + spacing : now + spacing;
}

export function createProviderGate(deps: { clock: Clock; limits: (providerId: string) => ProviderLimits }): ProviderGate {
  const { clock } = deps;
  const lanes = new Map<string, Lane>();
  let seq = 0;
  let closed = false;

  const laneOf = (providerId: string): Lane => {
    let lane = lanes.get(providerId);
    if (!lane) lanes.set(providerId, (lane = { queue: [], open: 0, starts: [], nextAt: 0, timer: null }));
    return lane;
  };

  const prune = (lane: Lane, now: number) => {
    while (lane.starts.length && lane.starts[0] <= now - MINUTE) lane.starts.shift();
  };

  function next(lane: Lane): number {
    let best = 0;
    for (let i = 1; i < lane.queue.length; i++) {
      const a = lane.queue[i], b = lane.queue[best];
      const d = RANK[a.priority()] - RANK[b.priority()];
      if (d > 0 || (d === 0 && a.seq < b.seq)) best = i;
    }
    return best;
  }

  function pump(providerId: string): void {
    const lane = laneOf(providerId);
    for (;;) {
      if (!lane.queue.length) break;
      const { concurrency, perMinute } = deps.limits(providerId);
      if (lane.open >= Math.max(1, concurrency)) return; // a settling call pumps again
      const now = clock.now();
      prune(lane, now);
      if (perMinute != null) {
        const at = earliestStart(lane.starts, lane.nextAt, perMinute, now);
        if (at > now) {
          wakeAt(providerId, lane, at);
          return;
        }
        lane.nextAt = slotAfter(lane.nextAt, now, pacedSpacingMs(perMinute));
      }
      const [w] = lane.queue.splice(next(lane), 1);
      lane.open++;
      lane.starts.push(now);
      w.start();
    }
    if (!lane.open && !lane.starts.length && !lane.timer && lane.nextAt <= clock.now()) lanes.delete(providerId);
  }

  function wakeAt(providerId: string, lane: Lane, at: number): void {
    if (lane.timer && lane.timer.at <= at) return;
    if (lane.timer) clock.clearTimeout(lane.timer.handle);
    lane.timer = {
      at,
      handle: clock.setTimeout(() => {
        lane.timer = null;
        pump(providerId);
      }, Math.max(0, at - clock.now())),
    };
  }

  /** When the next call at `priority` would get a token, if every call ahead starts as early as it may. */
  function estimateWaitMs(providerId: string, priority: GatePriority): number {
    const perMinute = deps.limits(providerId).perMinute;
    const lane = lanes.get(providerId);
    if (perMinute == null || !lane) return 0;
    const now = clock.now();
    prune(lane, now);
    const ahead = lane.queue.filter((w) => RANK[w.priority()] >= RANK[priority]).length;
    const starts = [...lane.starts];
    let nextAt = lane.nextAt;
    let at = now;
    for (let i = 0; i <= ahead; i++) {
      at = earliestStart(starts, nextAt, perMinute, now);
      starts.push(at);
      nextAt = slotAfter(nextAt, at, pacedSpacingMs(perMinute));
    }
    return at - now;
  }

  function refusal(providerId: string, priority: GatePriority, maxWaitMs: number): GateRefusal | null {
    const wait = estimateWaitMs(providerId, priority);
    if (wait <= maxWaitMs) return null;
    const perMinute = deps.limits(providerId).perMinute;
    return new GateRefusal(
      'RATE_LIMITED',
      `rate limit of ${perMinute}/min for provider "${providerId}"; try again in ${Math.ceil(wait / 1000)} s`,
      // Nothing was sent: the task keeps its state and the poller catches up when tokens are back.
      { transient: true, reached: 'no', retryAfterMs: wait },
    );
  }

  return {
    run<T>(providerId: string, priority: GatePriority | (() => GatePriority), fn: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
      if (closed) return Promise.reject(stoppedError());
      const prio = typeof priority === 'function' ? priority : () => priority;
      if (opts.maxWaitMs != null) {
        const refused = refusal(providerId, prio(), opts.maxWaitMs);
        if (refused) return Promise.reject(refused);
      }
      return new Promise<T>((resolve, reject) => {
        const lane = laneOf(providerId);
        lane.queue.push({
          seq: ++seq,
          priority: prio,
          reject,
          start: () => {
            let p: Promise<T>;
            try {
              p = Promise.resolve(fn());
            } catch (err) {
              p = Promise.reject(err as Error);
            }
            p.then(resolve, reject).finally(() => {
              lane.open--;
              pump(providerId);
            });
          },
        });
        pump(providerId);
      });
    },
    refusal,
    openCalls: () => [...lanes.values()].reduce((n, l) => n + l.open, 0),
    queuedCalls: () => [...lanes.values()].reduce((n, l) => n + l.queue.length, 0),
    close() {
      closed = true;
      for (const lane of lanes.values()) {
        if (lane.timer) clock.clearTimeout(lane.timer.handle);
        lane.timer = null;
        for (const w of lane.queue.splice(0)) w.reject(stoppedError());
      }
    },
  };
}

const stoppedError = () => new GateRefusal('UPSTREAM_ERROR', 'The service is stopping; the call was not sent', { transient: true, reached: 'no' });

/**
 * A client whose API calls all pass the gate at one priority. fetchContent does not: it is a download
 * of a finished video for the player or the library, which can stream for minutes and would hold a
 * slot that long; the providers' per-minute caps are about API calls.
 */
export function gatedClient(client: ProviderClient, gate: ProviderGate, providerId: string, priority: GatePriority, opts?: RunOptions): ProviderClient {
  const via = <T>(fn: () => Promise<T>) => gate.run(providerId, priority, fn, opts);
  return {
    dialect: client.dialect,
    supportsRemix: client.supportsRemix,
    supportsList: client.supportsList,
    supportsCancel: client.supportsCancel,
    supportsModelList: client.supportsModelList,
    create: (input) => via(() => client.create(input)),
    retrieve: (externalId) => via(() => client.retrieve(externalId)),
    list: (o) => via(() => client.list(o)),
    remove: (externalId) => via(() => client.remove(externalId)),
    remix: (externalId, prompt) => via(() => client.remix(externalId, prompt)),
    cancel: (externalId) => via(() => client.cancel(externalId)),
    listModels: () => via(() => client.listModels()),
    probe: () => via(() => client.probe()),
    fetchContent: (job, variant, range) => client.fetchContent(job, variant, range),
  };
}
