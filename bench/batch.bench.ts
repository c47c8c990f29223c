// How long the core takes to accept a 1,000-item createBatch: from the request leaving the client to the
// batchCreated reply, every item checked against the catalog, priced, admitted, and durable (the tasks
// in the store, the batch in batches.json). The provider's maxActiveJobs is 1, so one job is sent and
// 999 are held: the figure is the acceptance, not the upstream. Baseline: the least a durable acceptance
// can do, the same 1,000 task records written as one JSON file and fsynced once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchUpstream } from './support/bench-upstream';
import { addBenchProvider, expectReply, startCoreUnderTest } from './support/core-under-test';
import type { BenchCase, Figure } from './support/figures';
import { alternate, median, timed } from './support/stats';

function items(n: number, round: number) {
  return Array.from({ length: n }, (_, i) => ({ prompt: `bench batch ${round} shot ${i}: a lighthouse at dawn, waves, gulls` }));
}

/** One file with n task-sized records, written and flushed to the disk. */
function fsyncedFile(dir: string, n: number, round: number): void {
  const now = new Date().toISOString();
  const tasks = Array.from({ length: n }, (_, i) => ({
    videoId: `vid_${round}_${i}`, externalId: null, providerId: 'bench', status: 'PENDING', progress: 0, prompt: `bench batch ${round} shot ${i}: a lighthouse at dawn, waves, gulls`,
    model: 'sora-2', seconds: '4', size: '1280x720', createdAt: now, updatedAt: now, cost: { estimate: 0.4, actual: null, currency: 'USD' }, holdReason: 'slot',
  }));
  const fd = fs.openSync(path.join(dir, `batch-${round}.json`), 'w');
  try {
    fs.writeSync(fd, JSON.stringify({ tasks }));
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const cases: BenchCase[] = [{
  name: 'createBatch of 1,000 items accepted',
  async run(ctx): Promise<Figure[]> {
    const n = ctx.quick ? 100 : 1_000;
    const upstream = await startBenchUpstream();
    const c = await startCoreUnderTest();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-bench-batch-'));
    let round = 0;
    try {
      const providerId = await addBenchProvider(c, upstream);
      await expectReply(c.admin, 'saveProvider', { id: providerId, name: 'Bench upstream', dialect: 'openai', baseUrl: upstream.url, maxActiveJobs: 1 }, 'providerSaved');
      const r = await alternate(
        { rounds: ctx.quick ? 2 : 7, warmup: 1 },
        () => timed(() => fsyncedFile(scratch, n, ++round)),
        () => timed(async () => {
          const created = await expectReply(c.admin, 'createBatch', { items: items(n, ++round).map((i) => ({ ...i, providerId })) }, 'batchCreated');
          if ((created.tasks as unknown[]).length !== n) throw new Error('the batch came back short');
        }),
      );
      ctx.log(`${n} items per batch`);
      return [{
        name: `createBatch of ${n.toLocaleString('en')} items: request to batchCreated`,
        unit: 'ms',
        baselineIs: `the same ${n} task records written as one JSON file, fsynced once`,
        baseline: median(r.baseline),
        candidate: median(r.candidate),
        target: { candidateAtMost: ctx.quick ? 5_000 : 2_000 },
        rounds: r.candidate.length,
        note: 'every item checked against the catalog and priced; 1 sent, the rest held for a slot; tasks and batches.json durable before the reply',
      }];
    } finally {
      await c.stop();
      await upstream.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
}];

export default cases;
