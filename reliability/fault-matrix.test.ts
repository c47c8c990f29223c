// An upstream fault matrix: 10 accepted jobs polled by the real service and poller through a proxy that
// answers the status polls with one kind of fault for a while (429 storms with Retry-After in seconds, as
// a date and absurdly large, 5xx bursts, hangs, resets, HTML instead of JSON, a flapping 404), then lets
// them through while the jobs complete. Time is the service's injected clock, moved timer by timer, so
// every arrival is logged at the clock time it was sent; hangs wait out the real client timeout.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RETRY_AFTER_MS } from '../electron/core/providers/http';
import { ManualClock, openHarness } from '../electron/core/tasks/test-support/service-harness';
import { startTestUpstream } from '../electron/core/tasks/test-support/service-upstream';
import { recordFigure } from './support/run-root';

const TASKS = 10;
const POLL_MS = 10_000;

type Fault = { kind: 'status'; status: number; headers?: Record<string, string>; body?: string; contentType?: string } | { kind: 'hang' } | { kind: 'reset' };
/** Decides the answer to the n-th status poll of a job (null: let it through). */
type Plan = (n: number, now: number) => Fault | null;

interface Arrival { at: number; path: string; fault: Fault | null }

async function startFaultProxy(target: string, clock: ManualClock) {
  const arrivals: Arrival[] = [];
  const perPath = new Map<string, number>();
  let plan: Plan | null = null;
  const hung: ServerResponse[] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isPoll = req.method === 'GET' && /^\/v1\/videos\/[^/]+$/.test(path);
    const n = (perPath.get(path) ?? 0) + 1;
    if (isPoll) perPath.set(path, n);
    const fault = isPoll && plan ? plan(n, clock.now()) : null;
    if (isPoll) arrivals.push({ at: clock.now(), path, fault });
    if (fault?.kind === 'hang') return void hung.push(res);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', ...fault.headers });
      return void res.end(fault.body ?? JSON.stringify({ error: { message: `fault ${fault.status}` } }));
    }
    const fwd = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    setPlan(p: Plan | null) { plan = p; perPath.clear(); },
    async close() {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

interface Outcome { failed: number; completed: number; earlyRequests: number; maxPerWindow: number; faultsServed: number; polls: number; recoveryMs: number }

async function runCase(plan: Plan, faultWindowMs: number): Promise<Outcome> {
  const clock = new ManualClock();
  const up = await startTestUpstream('openai', 0, clock.now);
  const proxy = await startFaultProxy(up.url, clock);
  const h = await openHarness({ dialect: 'openai', baseUrl: proxy.url, clock, pollIntervalMs: POLL_MS, clientTimeoutMs: 400 });
  try {
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++) ids.push((await h.service.createTask('local', { prompt: `fault ${i}`, providerId: h.providerId })).videoId);
    await h.runClock(1_000);
    for (const job of up.jobs.values()) Object.assign(job, { status: 'in_progress', progress: 20 });
    h.poller.start();
    proxy.setPlan(plan);
    await h.runClock(faultWindowMs);
    // Recovery: the upstream is well again and the jobs are done.
    proxy.setPlan(null);
    const recoveredAt = clock.now();
    for (const job of up.jobs.values()) Object.assign(job, { status: 'completed', progress: 100 });
    let done = 0;
    for (let step = 0; step < 90 && done < TASKS; step++) {
      await h.runClock(POLL_MS);
      done = ids.filter((id) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(h.store.get(id)!.status)).length;
    }
    const finishedAt = Math.max(...ids.map((id) => Date.parse(h.store.get(id)!.completedAt ?? '') || clock.now()));

    // No request before Retry-After: each 429 with a Retry-After bounds the next poll of that job.
    let early = 0;
    const byPath = new Map<string, Arrival[]>();
    for (const a of proxy.arrivals) byPath.set(a.path, [...(byPath.get(a.path) ?? []), a]);
    for (const list of byPath.values()) {
      for (let i = 0; i + 1 < list.length; i++) {
        const f = list[i].fault;
        const ra = f?.kind === 'status' && f.status === 429 ? f.headers?.['retry-after'] : undefined;
        if (ra === undefined) continue;
        const wait = /^\d+$/.test(ra) ? Number(ra) * 1000 : Date.parse(ra) - list[i].at;
        if (list[i + 1].at < list[i].at + Math.min(wait, DEFAULT_MAX_RETRY_AFTER_MS) - 1000) early++;
      }
    }
    // No poll storm after recovery: polls per poll interval, from the moment the upstream is well.
    const after = proxy.arrivals.filter((a) => a.at >= recoveredAt);
    const buckets = new Map<number, number>();
    for (const a of after) buckets.set(Math.floor((a.at - recoveredAt) / POLL_MS), (buckets.get(Math.floor((a.at - recoveredAt) / POLL_MS)) ?? 0) + 1);
    const statuses = ids.map((id) => h.store.get(id)!.status);
    return {
      failed: statuses.filter((s) => s === 'FAILED').length,
      completed: statuses.filter((s) => s === 'COMPLETED').length,
      earlyRequests: early,
      maxPerWindow: Math.max(0, ...buckets.values()),
      faultsServed: proxy.arrivals.filter((a) => a.fault).length,
      polls: proxy.arrivals.length,
      recoveryMs: finishedAt - recoveredAt,
    };
  } finally {
    await h.close();
    await proxy.close();
    await up.close();
  }
}

const status = (s: number, headers?: Record<string, string>, body?: string, contentType?: string): Fault => ({ kind: 'status', status: s, headers, body, contentType });
const CASES: Array<[string, Plan, number]> = [
  ['429 storm, Retry-After: 30 (seconds)', (n) => (n <= 4 ? status(429, { 'retry-after': '30' }) : null), 3 * 60_000],
  ['429 storm, Retry-After as an HTTP date (+45 s)', (n, now) => (n <= 4 ? status(429, { 'retry-after': new Date(now + 45_000).toUTCString() }) : null), 4 * 60_000],
  ['429, Retry-After absurdly large (99999999 s)', (n) => (n <= 1 ? status(429, { 'retry-after': '99999999' }) : null), 11 * 60_000],
  ['5xx burst (500, 502, 503, 504)', (n) => (n <= 6 ? status([500, 502, 503, 504][n % 4]) : null), 5 * 60_000],
  ['hangs (no answer; client timeout)', (n) => (n <= 3 ? { kind: 'hang' } : null), 3 * 60_000],
  ['connection resets', (n) => (n <= 5 ? { kind: 'reset' } : null), 3 * 60_000],
  ['HTML instead of JSON (200 text/html)', (n) => (n <= 5 ? status(200, {}, '<html><body>Gateway says hi</body></html>', 'text/html') : null), 3 * 60_000],
  ['flapping 404 (every other poll, 10 times)', (n) => (n <= 20 && n % 2 === 1 ? status(404, {}, '{"error":{"message":"no such video"}}') : null), 5 * 60_000],
];

describe('upstream fault matrix', () => {
  it.each(CASES)('%s: no task fails, no request before Retry-After, no poll storm after recovery', async (name, plan, windowMs) => {
    const o = await runCase(plan, windowMs);
    recordFigure({
      case: `fault matrix: ${name}`,
      done: `${TASKS} accepted jobs polled every ${POLL_MS / 1000} s; status polls answered with the fault for ${windowMs / 60_000} min (clock time), then passed while the jobs complete`,
      expected: `no task FAILED; no poll before a 429's Retry-After (capped at ${DEFAULT_MAX_RETRY_AFTER_MS / 60_000} min); at most ${TASKS} polls per ${POLL_MS / 1000} s after recovery`,
      figure: `${o.completed}/${TASKS} COMPLETED, ${o.failed} FAILED; ${o.faultsServed} faults served in ${o.polls} polls; ${o.earlyRequests} polls before Retry-After; max ${o.maxPerWindow} polls per ${POLL_MS / 1000} s after recovery; all done ${(o.recoveryMs / 1000).toFixed(0)} s (clock) after recovery`,
      ok: o.failed === 0 && o.completed === TASKS && o.earlyRequests === 0 && o.maxPerWindow <= TASKS,
    });
    expect(o.failed).toBe(0);
    expect(o.completed).toBe(TASKS);
    expect(o.earlyRequests).toBe(0);
    expect(o.maxPerWindow).toBeLessThanOrEqual(TASKS);
  });
});
