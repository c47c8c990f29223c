// Polling against a provider's rate limit: 1,000 active tasks on a provider allowing R = 600 calls a
// minute, with demand far above R (every task wants a look every 10 s). The core runs on a clock the bench
// steps by hand (time moves only once the work of the moment is done), against a real HTTP upstream that
// records each lookup's arrival by that clock. The baseline is the provider's own limit.
import { startBenchUpstream } from './support/bench-upstream';
import { addBenchProvider, BENCH_KEY, expectReply, startCoreUnderTest, trackJobs, until } from './support/core-under-test';
import type { BenchCase, Figure } from './support/figures';
import { SteppedClock } from './support/stepped-clock';

const MINUTE = 60_000;

/** The most `times` (sorted) inside any window of `span` ms. */
function maxInWindow(times: number[], span: number): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= span) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const cases: BenchCase[] = [
  {
    name: 'poller pacing under a rate limit',
    async run(ctx): Promise<Figure[]> {
      const tasks = ctx.quick ? 30 : 1000;
      const perMinute = ctx.quick ? 60 : 600;
      const minutes = ctx.quick ? 2 : 6;
      const clock = new SteppedClock();
      const upstream = await startBenchUpstream(clock.now);
      // Until the measurement starts, time moves on by itself so set-up work waiting on a timer proceeds.
      let free = true;
      const ticker = setInterval(() => free && clock.step(clock.now() + 20), 2);
      const c = await startCoreUnderTest({ clock });
      try {
        await expectReply(c.admin, 'updateSettings', { pollIntervalMs: 10_000 }, 'settings');
        const providerId = await addBenchProvider(c, upstream);
        const jobs = Array.from({ length: tasks }, () => upstream.addJob(10));
        ctx.log(`tracking ${tasks} tasks`);
        await trackJobs(c, providerId, jobs);
        await until(() => upstream.lookups.length >= tasks && upstream.open === 0, 'the first lookups');
        await expectReply(c.admin, 'saveProvider', { id: providerId, name: 'Bench upstream', dialect: 'openai', baseUrl: upstream.url, apiKey: BENCH_KEY, rateLimitPerMinute: perMinute }, 'providerSaved');
        free = false;
        const from = upstream.lookups.length;
        const t0 = clock.now();
        const end = t0 + minutes * MINUTE;
        ctx.log(`running ${minutes} simulated minutes`);
        // Quiet: no request open and nothing changed (lookups, timers) for a few turns of the event loop.
        const settle = async () => {
          let last = '';
          let same = 0;
          while (same < 5) {
            await new Promise((r) => setImmediate(r));
            const now = `${upstream.lookups.length}/${upstream.open}/${clock.changes}`;
            same = now === last && upstream.open === 0 ? same + 1 : 0;
            last = now;
          }
        };
        while (clock.now() < end) {
          await settle();
          clock.step(end);
        }
        await settle();
        const measured = upstream.lookups.slice(from).filter((l) => l.at < end);
        const times = measured.map((l) => l.at).sort((a, b) => a - b);
        // The rate once every task is in the rotation (after the first minute).
        const steady = times.filter((t) => t >= t0 + MINUTE).length / (minutes - 1);
        const byJob = new Map<string, number[]>();
        for (const l of measured) byJob.set(l.jobId, [...(byJob.get(l.jobId) ?? []), l.at]);
        let maxGap = 0;
        for (const at of byJob.values()) for (let i = 1; i < at.length; i++) maxGap = Math.max(maxGap, at[i] - at[i - 1]);
        const even = (tasks / perMinute) * MINUTE;
        const label = `${tasks} tasks, R = ${perMinute}/min, ${minutes} min`;
        return [
          {
            name: `poll rate when demand exceeds R (${label})`, unit: 'calls/min', baselineIs: 'R, the provider\'s limit',
            baseline: perMinute, candidate: steady, target: { ratioAtLeast: 0.9 }, rounds: 1,
          },
          {
            name: `most calls in any 60 s window (${label})`, unit: 'calls', baselineIs: 'R',
            baseline: perMinute, candidate: maxInWindow(times, MINUTE), target: { ratioAtMost: 1 }, rounds: 1,
          },
          {
            name: `most calls in any 1 s window (${label})`, unit: 'calls', baselineIs: 'R / 60, rounded up (an even spread)',
            baseline: Math.ceil(perMinute / 60), candidate: maxInWindow(times, 1000), target: { ratioAtMost: 1 }, rounds: 1,
          },
          {
            name: `longest gap between two polls of one task (${label})`, unit: 's', baselineIs: 'N / R, the even spread',
            baseline: even / 1000, candidate: maxGap / 1000, target: { ratioAtMost: 1.1 }, rounds: 1,
            note: `${byJob.size} of ${tasks} tasks polled`,
          },
        ];
      } finally {
        clearInterval(ticker);
        await c.stop();
        await upstream.close();
      }
    },
  },
];

export default cases;
