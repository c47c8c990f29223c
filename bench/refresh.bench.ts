// 20 clients x 10 tasks asking for fresh status at once. Baseline: every ask is its own upstream call
// (200 GETs straight to the upstream, the least a client without SoraDesk does). Candidate: the same
// 200 asks as requestTaskStatus over real WebSockets to the core, which shares one upstream call per task.
import http from 'node:http';
import { connectBenchClient, type BenchClient } from './support/bench-client';
import { startBenchUpstream } from './support/bench-upstream';
import { addBenchProvider, expectReply, startCoreUnderTest, trackJobs, until } from './support/core-under-test';
import type { BenchCase } from './support/figures';
import { alternate, median, timed } from './support/stats';

const CLIENTS = 20;
const TASKS = 10;

const cases: BenchCase[] = [
  {
    name: `${CLIENTS} clients x ${TASKS} tasks ask for fresh status at once (${CLIENTS * TASKS} asks)`,
    async run(ctx) {
      const upstream = await startBenchUpstream();
      const c = await startCoreUnderTest();
      const clients: BenchClient[] = [];
      try {
        await expectReply(c.admin, 'updateSettings', { pollIntervalMs: 3_600_000 }, 'settings');
        const providerId = await addBenchProvider(c, upstream);
        const jobs = Array.from({ length: TASKS }, () => upstream.addJob(5));
        const ids = await trackJobs(c, providerId, jobs);
        await until(() => upstream.lookups.length >= TASKS && upstream.open === 0, 'the first lookups');
        for (let i = 0; i < CLIENTS; i++) clients.push(await connectBenchClient(c.info.wsUrl, c.info.token));
        const agent = new http.Agent({ keepAlive: true });
        const lookup = (jobId: string) =>
          new Promise<unknown>((resolve, reject) => {
            http.get(`${upstream.url}/v1/videos/${jobId}`, { agent }, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve(JSON.parse(body)));
            }).on('error', reject);
          });
        const direct = () => Promise.all(clients.flatMap(() => jobs.map((j) => lookup(j.id))));
        const viaCore = () => Promise.all(clients.flatMap((cl) => ids.map((videoId) => cl.request('requestTaskStatus', { videoId }))));
        let calls = 0;
        let asks = 0;
        const r = await alternate({ rounds: ctx.quick ? 3 : 10, warmup: 2 }, () => timed(direct), async () => {
          const before = upstream.lookups.length;
          const ms = await timed(viaCore);
          calls += upstream.lookups.length - before;
          asks += CLIENTS * TASKS;
          return ms;
        });
        return [
          {
            name: `${CLIENTS * TASKS} concurrent fresh-status asks: time`, unit: 'ms', baselineIs: `${CLIENTS * TASKS} direct upstream GETs`,
            baseline: median(r.baseline), candidate: median(r.candidate), target: { ratioAtMost: 1 }, rounds: r.candidate.length,
          },
          {
            name: `${CLIENTS * TASKS} concurrent fresh-status asks: upstream calls per ask`, unit: 'calls', baselineIs: 'one call per ask',
            baseline: 1, candidate: calls / asks, target: { ratioAtMost: 0.05 }, rounds: r.candidate.length,
          },
        ];
      } finally {
        await Promise.all(clients.map((cl) => cl.close()));
        await c.stop();
        await upstream.close();
      }
    },
  },
];

export default cases;
