// Test fixture for store-crash.test.ts: a storm of puts on a real store. Each line
// "<videoId> <status>" is printed only after that put() resolved, i.e. after the store said it
// is durable; the test SIGKILLs this process mid-storm and checks every printed state survived.
import { silentLogger } from '../../log';
import { openTaskStore } from '../store';
import { sampleTask } from './store-sample-tasks';
import type { TaskStatus } from '@shared/contract/status';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: store-crash-child.ts DATA_DIR\n');
  process.exit(2);
}

if (process.argv[3] === 'one-put') {
  // Nothing else keeps this process alive: the pending commit itself must, until it is on disk.
  const single = await openTaskStore({ dataDir, logger: silentLogger });
  void single.put(sampleTask(1)).then(() => process.stdout.write('acked\n'));
} else {
  await storm();
}

async function storm(): Promise<void> {
  const store = await openTaskStore({ dataDir, logger: silentLogger, commitDelayMs: 2, segmentSize: 50 });
  const lifecycle: TaskStatus[] = ['QUEUED', 'PROCESSING', 'COMPLETED'];
  let next = 0;
  const oneTaskAtATime = async () => {
    for (;;) {
      const n = next++;
      for (const status of lifecycle) {
        await store.put(sampleTask(n, { status, progress: status === 'COMPLETED' ? 100 : 10 }));
        process.stdout.write(`${sampleTask(n).videoId} ${status}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: 40 }, oneTaskAtATime));
}
