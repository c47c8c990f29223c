// A soak: the service in its own process with a fast demo, tasks cycling through it (created, followed to
// COMPLETED, deleted, created again) while many WebSocket clients record every push. Every task must end
// terminal, every client must have seen every task's last state, resident memory (after a GC) must grow
// less than 10 % after warm-up, and timers and sockets must be back where they were once clients leave.
import { describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { ApiClient } from '../electron/core/test-support/api-client';
import { caseDir, keepFrames, QUICK, recordFigure } from './support/run-root';
import { startService, type ServiceStats } from './support/service-process';

const DURATION_MS = QUICK ? 45_000 : 10 * 60_000;
const WARMUP_MS = QUICK ? 15_000 : 2 * 60_000;
const TASKS = QUICK ? 50 : 200;
const CLIENTS = QUICK ? 10 : 50;
const DEMO_MS = 3_000;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

const sum = (h: Record<string, number>, kinds: string[]) => kinds.reduce((n, k) => n + (h[k] ?? 0), 0);

describe('soak', () => {
  it(`${DURATION_MS / 60_000} min, ${TASKS} tasks cycling through the demo, ${CLIENTS} clients recording every push`, async () => {
    const service = await startService(caseDir('soak'), DEMO_MS);
    try {
      const driver = await ApiClient.connect(service.info.wsUrl, service.info.token);
      await driver.request('updateSettings', { pollIntervalMs: 1000, autoDownload: false });
      const baseline = await service.stats();
      const clients: ApiClient[] = [];
      for (let i = 0; i < CLIENTS; i++) clients.push(await ApiClient.connect(service.info.wsUrl, service.info.token));

      // The driver keeps TASKS in flight: a task that ends is deleted and a new one takes its place.
      let created = 0;
      let finished = 0;
      let deleted = 0;
      let stopCreating = false;
      const inFlight = new Set<string>();
      const ended = new Set<string>();
      const lastSeen = new Map<string, TaskView>();
      const create = async () => {
        if (stopCreating) return;
        const reply = await driver.request('createTask', { prompt: `soak ${created++}` });
        if (reply.type === 'taskCreated') inFlight.add((reply.payload as { task: TaskView }).task.videoId);
      };
      driver.ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as ServerEnvelope;
        if (m.type !== 'taskUpdated' || m.id !== undefined) return;
        const v = m.payload as TaskView;
        lastSeen.set(v.videoId, v);
        if (TERMINAL.has(v.status) && inFlight.delete(v.videoId)) {
          finished++;
          ended.add(v.videoId);
          void driver.request('deleteTask', { videoId: v.videoId }).then(() => { deleted++; return create(); });
        }
      });
      // Clients keep only what they need to check, so their own memory stays flat for 10 minutes.
      // Per client: the last state of each live task, the tasks it saw end, pushes that went backwards.
      const seenBy = clients.map(() => new Map<string, string>());
      const endedBy = clients.map(() => new Set<string>());
      const pushesBy = clients.map(() => 0);
      let backwards = 0;
      const rank = (v: TaskView) => (TERMINAL.has(v.status) ? 1000 : v.progress);
      const rankBy = clients.map(() => new Map<string, number>());
      clients.forEach((c, i) => c.ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as ServerEnvelope;
        if (m.type === 'taskUpdated' && m.id === undefined) {
          const v = m.payload as TaskView;
          seenBy[i].set(v.videoId, `${v.status}/${v.progress}/${v.updatedAt}`);
          if ((rankBy[i].get(v.videoId) ?? -1) > rank(v)) backwards++;
          rankBy[i].set(v.videoId, rank(v));
          if (TERMINAL.has(v.status)) endedBy[i].add(v.videoId);
          pushesBy[i]++;
        } else if (m.type === 'taskDeleted') {
          const id = (m.payload as { videoId: string }).videoId;
          seenBy[i].delete(id);
          rankBy[i].delete(id);
        }
        c.messages.length = 0;
      }));
      for (let i = 0; i < TASKS; i++) await create();

      const samples: Array<{ at: number; stats: ServiceStats }> = [];
      const t0 = Date.now();
      while (Date.now() - t0 < DURATION_MS) {
        await new Promise((r) => setTimeout(r, QUICK ? 5_000 : 20_000));
        samples.push({ at: Date.now() - t0, stats: await service.stats() });
        driver.messages.length = 0;
      }
      // Let every task in flight end.
      stopCreating = true;
      const drainStart = Date.now();
      while (inFlight.size > 0 && Date.now() - drainStart < 60_000) await new Promise((r) => setTimeout(r, 250));
      await new Promise((r) => setTimeout(r, 1500));
      const stored = (await driver.request('listTasks', { limit: 500 })).payload as { tasks: TaskView[]; total: number };
      const notTerminal = stored.tasks.filter((t) => !TERMINAL.has(t.status)).length;
      // Every client saw every task end (the push it had to see), and every remaining task's last state.
      let missing = 0;
      for (const id of ended) for (const seen of endedBy) if (!seen.has(id)) missing++;
      for (const t of stored.tasks) {
        const want = `${t.status}/${t.progress}/${t.updatedAt}`;
        for (const seen of seenBy) if (seen.get(t.videoId) !== want) missing++;
      }
      const pushSpread = `${Math.min(...pushesBy)}-${Math.max(...pushesBy)}`;
      keepFrames('soak-driver', [...lastSeen.values()]);

      // Memory: resident size after a GC, from the end of warm-up to the end.
      const warm = samples.filter((s) => s.at >= WARMUP_MS);
      const rssWarm = warm[0]?.stats.rss ?? samples[0].stats.rss;
      const rssEnd = samples.at(-1)!.stats.rss;
      const growth = (rssEnd - rssWarm) / rssWarm;
      // Handles: with the clients gone and nothing in flight, back to the baseline's.
      await Promise.all(clients.map((c) => c.close()));
      await new Promise((r) => setTimeout(r, 3000));
      const end = await service.stats();
      const sockets = ['TCPSocketWrap', 'TCPWrap'];
      const timers = ['Timeout'];
      const socketDelta = sum(end.handles, sockets) - sum(baseline.handles, sockets);
      const timerDelta = sum(end.handles, timers) - sum(baseline.handles, timers);
      const alive = service.alive();
      await driver.close();

      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      recordFigure({
        case: `soak (${DURATION_MS / 60_000} min)`,
        done: `service in its own process, demo jobs of ${DEMO_MS / 1000} s, polls every 1 s; ${TASKS} tasks kept in flight (each deleted when it ends and replaced) for ${DURATION_MS / 60_000} min; ${CLIENTS} clients recording every push`,
        expected: 'every task terminal; every client saw every task\'s last state; RSS growth after warm-up < 10 %; sockets and timers back to the baseline',
        figure: `${created} tasks created, ${finished} ended, ${deleted} deleted; ${notTerminal} not terminal at the end; ${missing} of ${ended.size * CLIENTS} terminal pushes missing across ${CLIENTS} clients, ${backwards} went backwards (pushes per client ${pushSpread}); RSS ${mb(baseline.rss)} MB at start, ${mb(rssWarm)} MB after warm-up (${WARMUP_MS / 1000} s), ${mb(rssEnd)} MB at the end: ${(growth * 100).toFixed(1)} %; handles at the end vs start: sockets ${socketDelta >= 0 ? '+' : ''}${socketDelta}, timers ${timerDelta >= 0 ? '+' : ''}${timerDelta} (${JSON.stringify(end.handles)}); alive: ${alive}`,
        ok: notTerminal === 0 && missing === 0 && backwards === 0 && growth < 0.1 && socketDelta <= 0 && timerDelta <= 0 && alive && inFlight.size === 0,
      });
      expect(inFlight.size).toBe(0);
      expect(notTerminal).toBe(0);
      expect(missing).toBe(0);
      expect(backwards).toBe(0);
      expect(growth).toBeLessThan(0.1);
      expect(socketDelta).toBeLessThanOrEqual(0);
      expect(timerDelta).toBeLessThanOrEqual(0);
    } finally {
      await service.stop();
    }
  });
});
