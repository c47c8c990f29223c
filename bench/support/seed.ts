// Data dirs seeded through the service's own store, so the files are exactly its format.
import { silentLogger } from '../../electron/core/log';
import type { TaskRecord } from '../../electron/core/tasks/record';
import { openTaskStore } from '../../electron/core/tasks/store';
import { sampleTask } from '../../electron/core/tasks/test-support/store-sample-tasks';

/**
 * `total` tasks, the newest `active` of them PROCESSING, the rest COMPLETED long ago with no file and no
 * expiry (what a library scan at start must not turn into downloads).
 */
export function seedRecords(total: number, active: number): TaskRecord[] {
  return Array.from({ length: total }, (_, n) => sampleTask(n, { status: n >= total - active ? 'PROCESSING' : 'COMPLETED' }));
}

export async function seedDataDir(dataDir: string, total: number, active: number): Promise<void> {
  const store = await openTaskStore({ dataDir, logger: silentLogger });
  await Promise.all(seedRecords(total, active).map((t) => store.put(t)));
  await store.close();
}
