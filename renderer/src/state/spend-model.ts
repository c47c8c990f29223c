// What was spent today and this month (the task list's header shows it), read with getSpend from the
// core, which sums the stored tasks' costs. Read again shortly after tasks start or end, once per burst.
import type { ContractClient } from '@shared/client/contract-client';
import type { Spend } from '@shared/contract/cost';
import { startOfLocalDay, startOfLocalMonth } from '@shared/contract/cost-rules';
import type { TaskView } from '@shared/contract/task';
import { isTerminal } from '@shared/contract/values';

/** A burst of task changes is read once, this long after its first. */
const REFRESH_DELAY_MS = 700;

export class SpendModel {
  today: Spend['total'] | null = null;
  month: Spend['total'] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly lastStatus = new Map<string, string>();

  constructor(
    private readonly client: ContractClient,
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  async refresh(): Promise<void> {
    const now = this.now();
    const [day, month] = await Promise.all([
      this.client.request('getSpend', { from: new Date(startOfLocalDay(now)).toISOString(), groupBy: 'day' }),
      this.client.request('getSpend', { from: new Date(startOfLocalMonth(now)).toISOString(), groupBy: 'month' }),
    ]);
    this.today = day.total;
    this.month = month.total;
    this.changed();
  }

  /** A task changed: the totals move when one is created, released, or ends. */
  taskChanged(task: TaskView): void {
    const key = `${task.status}|${task.holdReason ?? ''}`;
    if (this.lastStatus.get(task.videoId) === key) return;
    // An ended task moves the totals no more: it is not remembered (the map holds the active ones).
    if (isTerminal(task.status)) this.lastStatus.delete(task.videoId);
    else this.lastStatus.set(task.videoId, key);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.refresh().catch(() => undefined);
    }, REFRESH_DELAY_MS);
  }

  /** The chart's data: the last `days` local days, one row per day and currency, split by provider. */
  async byDay(days: number): Promise<Spend> {
    const now = this.now();
    const from = startOfLocalDay(now - (days - 1) * 86_400_000);
    return this.client.request('getSpend', { from: new Date(from).toISOString(), groupBy: 'day' });
  }

  by(groupBy: 'provider' | 'model', from: number): Promise<Spend> {
    return this.client.request('getSpend', { from: new Date(from).toISOString(), groupBy });
  }
}
