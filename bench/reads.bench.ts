// What each routine poll costs besides the upstream call: reads of the settings file (through the
// settings backend; conf re-reads and parses settings.json on every get) and of the OS keychain (through
// the secret store). The goal is none: settings and keys held in memory.
import { startBenchUpstream } from './support/bench-upstream';
import { addBenchProvider, expectReply, startCoreUnderTest, trackJobs, until } from './support/core-under-test';
import type { BenchCase, Figure } from './support/figures';

const cases: BenchCase[] = [
  {
    name: 'settings and keychain reads per poll',
    async run(ctx): Promise<Figure[]> {
      let settingsReads = 0;
      let keyReads = 0;
      const upstream = await startBenchUpstream();
      const c = await startCoreUnderTest({
        settings: (b) => ({
          get: (key) => {
            settingsReads++;
            return b.get(key);
          },
          set: (key, value) => b.set(key, value),
          delete: (key) => b.delete(key),
          get path() {
            return b.path;
          },
        }),
        secrets: (s) => ({
          kind: s.kind,
          get: (account) => {
            keyReads++;
            return s.get(account);
          },
          set: (account, secret) => s.set(account, secret),
          delete: (account) => s.delete(account),
        }),
      });
      try {
        const tasks = ctx.quick ? 5 : 20;
        await expectReply(c.admin, 'updateSettings', { pollIntervalMs: 250 }, 'settings');
        const providerId = await addBenchProvider(c, upstream);
        await trackJobs(c, providerId, Array.from({ length: tasks }, () => upstream.addJob(10)));
        await until(() => upstream.lookups.length >= tasks, 'the first lookups');
        const from = upstream.lookups.length;
        settingsReads = 0;
        keyReads = 0;
        await new Promise((r) => setTimeout(r, ctx.quick ? 1000 : 3000));
        const polls = upstream.lookups.length - from;
        if (polls === 0) throw new Error('no polls happened');
        const figure = (what: string, reads: number): Figure => ({
          name: `${what} reads per routine poll`, unit: 'reads', baselineIs: 'the goal: none (held in memory)',
          baseline: 0, candidate: reads / polls, target: { candidateEquals: 0 }, rounds: 1, note: `${polls} polls of ${tasks} tasks`,
        });
        return [figure('settings', settingsReads), figure('keychain', keyReads)];
      } finally {
        await c.stop();
        await upstream.close();
      }
    },
  },
];

export default cases;
