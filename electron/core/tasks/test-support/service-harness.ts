// For tests: the real service wired to a real store (temp dir), real settings and provider
// registry, a real hub with connections that record what they are sent, and a clock driven by hand.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderDialect } from '@shared/contract/dialects';
import type { RequestId, ServerEnvelope, ServerPayload, ServerType } from '@shared/contract/messages';
import type { ErrorCode } from '@shared/contract/errors';
import type { TaskView } from '@shared/contract/task';
import type { Clock } from '../../clock';
import { silentLogger } from '../../log';
import { createProviderClient } from '../../providers/create-provider-client';
import { MemorySecretStore } from '../../secrets/memory-secret-store';
import { createHub } from '../../server/hub';
import type { Connection, RequestContext } from '../../server/door-types';
import { createConfBackend } from '../../settings/conf-backend';
import { ProviderRegistry } from '../../settings/provider-registry';
import { SettingsService } from '../../settings/settings-service';
import { createPoller, type Poller } from '../poller';
import { createProviderGate, providerLimits, type ProviderGate } from '../provider-gate';
import { createTaskService } from '../service';
import type { TaskService } from '../service-types';
import { openTaskStore, type TaskStoreOptions } from '../store';
import { closeAfterTest } from './test-cleanup';
import type { TaskStore } from '../task-store';

export const TEST_KEY = 'test-key-0123456789abcdef';

/** Timers fire only when the test moves time on. */
export class ManualClock implements Clock {
  private t = Date.now();
  private seq = 0;
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = target;
  }
  get pending(): number {
    return this.timers.length;
  }
  /** When the next timer fires (null: none set). */
  nextAt(): number | null {
    return this.timers.length ? Math.min(...this.timers.map((x) => x.at)) : null;
  }
}

export class RecordingConnection implements Connection {
  readonly door = 'ws' as const;
  userId: string | null = 'local';
  readonly sent: ServerEnvelope[] = [];
  constructor(readonly id: string) {}
  send(msg: ServerEnvelope): void {
    this.sent.push(msg);
  }
  updates(videoId: string): TaskView[] {
    return this.sent.filter((m) => m.type === 'taskUpdated' && (m.payload as TaskView).videoId === videoId).map((m) => m.payload as TaskView);
  }
}

/** The request context a door hands a handler, recording the replies. */
export function requestContext(conn: RecordingConnection, requestId: RequestId = 1): RequestContext & { replies: ServerEnvelope[] } {
  const replies: ServerEnvelope[] = [];
  return {
    conn,
    requestId,
    replies,
    reply<T extends ServerType>(type: T, payload: ServerPayload<T>) {
      const msg = { type, id: requestId, timestamp: Date.now(), payload };
      replies.push(msg);
      conn.send(msg);
    },
    error(code: ErrorCode, message: string, videoId?: string) {
      const msg = { type: 'error', id: requestId, timestamp: Date.now(), payload: videoId ? { code, message, videoId } : { code, message } };
      replies.push(msg);
      conn.send(msg);
    },
  };
}

/** Waits (real time) until `cond` holds; fails with `what` if it never does. */
export async function until(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Harness {
  dir: string;
  clock: ManualClock;
  store: TaskStore;
  settings: SettingsService;
  registry: ProviderRegistry;
  hub: ReturnType<typeof createHub>;
  conn: RecordingConnection;
  service: TaskService;
  /** The service's provider gate, to see what is open or waiting. */
  gate: ProviderGate;
  poller: Poller;
  providerId: string;
  /**
   * Moves the clock `ms` on, timer by timer, and only while no gated call is open: so every request
   * reaches the upstream at the clock time the gate started it (the upstream's arrival log is exact).
   */
  runClock(ms: number): Promise<void>;
  /** Closes store and poller; the same data dir can be opened again with reopen(). */
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface HarnessOptions {
  dialect: ProviderDialect;
  baseUrl: string;
  dir?: string;
  rateLimitPerMinute?: number;
  pollIntervalMs?: number;
  trackingTimeoutMs?: number;
  /** The provider client's timeout (a hang is noticed this fast). */
  clientTimeoutMs?: number;
  random?: () => number;
  clock?: ManualClock;
  /** Upstream calls open at once per provider (the gate's limit), default 4. */
  concurrency?: number;
  /** The provider's maxActiveJobs (default null: no cap, so a test of something else is not held by it). */
  maxActiveJobs?: number | null;
  /** The store's file-system seam (a full disk). */
  storeFileOps?: TaskStoreOptions['fileOps'];
}

export async function openHarness(o: HarnessOptions): Promise<Harness> {
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), 'soradesk-service-')));
  const clock = o.clock ?? new ManualClock();
  const store = await openTaskStore({ dataDir: dir, logger: silentLogger, commitDelayMs: 2, fileOps: o.storeFileOps });
  const backend = createConfBackend({ cwd: dir });
  const settings = new SettingsService(backend);
  const registry = new ProviderRegistry({ backend, secrets: new MemorySecretStore(), settings });
  const existing = registry.list().find((p) => p.name === 'Test upstream');
  const provider = existing ?? (await registry.save({
    name: 'Test upstream', dialect: o.dialect, baseUrl: o.baseUrl, apiKey: TEST_KEY, rateLimitPerMinute: o.rateLimitPerMinute ?? null,
    maxActiveJobs: o.maxActiveJobs ?? null,
  }));
  settings.update({ pollIntervalMs: o.pollIntervalMs ?? 10_000, trackingTimeoutMs: o.trackingTimeoutMs ?? 24 * 3_600_000 });
  const hub = createHub({ clock });
  const conn = new RecordingConnection('c0');
  hub.add(conn);
  hub.joinUser(conn, 'local');
  const timeoutMs = o.clientTimeoutMs ?? 400;
  const gate = createProviderGate({ clock, limits: providerLimits(registry, o.concurrency) });
  const service = createTaskService({
    store, providers: registry, settings, hub, clock, logger: silentLogger, gate, dataDir: dir,
    clientFor: (c) => createProviderClient({ ...c, timeoutMs }),
  });
  const poller = createPoller({ service, store, hub, settings, clock, logger: silentLogger, random: o.random ?? (() => 0.5) });
  let closed = false;
  return closeAfterTest({
    dir, clock, store, settings, registry, hub, conn, service, gate, poller, providerId: provider.id,
    async runClock(ms) {
      const end = clock.now() + ms;
      // Quiet: nothing open, and nothing changed for a while (store writes, the next step's request).
      const snapshot = () => `${gate.openCalls()}/${gate.queuedCalls()}/${clock.pending}/${clock.nextAt()}`;
      const quiet = async (samples: number) => {
        let last = '';
        let same = 0;
        const giveUpAt = Date.now() + 8_000;
        while (same < samples) {
          if (Date.now() > giveUpAt) throw new Error(`runClock: never quiet (${snapshot()})`);
          await new Promise((r) => setTimeout(r, 3));
          const now = snapshot();
          same = now === last && gate.openCalls() === 0 ? same + 1 : 0;
          last = now;
        }
      };
      while (clock.now() < end) {
        // With no timer left, jumping to the end would strand work still under way: be surer it is done.
        await quiet(clock.nextAt() == null ? 12 : 3);
        if (gate.openCalls() !== 0) continue; // checked again right before the clock moves
        clock.advance(Math.min(end, clock.nextAt() ?? end) - clock.now());
      }
      await quiet(3);
    },
    async close(opts = {}) {
      if (closed) return;
      closed = true;
      poller.stop();
      service.close();
      await service.idle();
      await store.close();
      if (!opts.keepDir) await rm(dir, { recursive: true, force: true });
    },
  });
}
