// `soradesk list [--status S[,S]] [--search TEXT] [--limit N]`: tasks, newest first.
import { InvalidArgumentError } from 'commander';
import { MAX_LIST_LIMIT, TASK_STATUSES, type TaskStatus } from '@shared/contract/values';
import type { CliCommand } from '../cli-program';
import { clip, table } from '../text-table';

const DEFAULT_LIMIT = 20;

function statuses(value: string): TaskStatus[] {
  const list = value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const wrong = list.filter((s) => !(TASK_STATUSES as readonly string[]).includes(s));
  if (list.length === 0 || wrong.length > 0) throw new InvalidArgumentError(`use ${TASK_STATUSES.join(', ')} (several with commas).`);
  return list as TaskStatus[];
}

function limit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_LIST_LIMIT) throw new InvalidArgumentError(`a number from 1 to ${MAX_LIST_LIMIT}.`);
  return n;
}

/** `2026-11-29 14:05` in local time. */
function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const listCommand: CliCommand = (program, run) => {
  program
    .command('list')
    .description('list tasks, newest first')
    .option('--status <statuses>', `only these statuses: ${TASK_STATUSES.join(', ')} (several with commas)`, statuses)
    .option('--search <text>', 'only tasks whose prompt or id contains TEXT')
    .option('--limit <n>', `at most N tasks (1-${MAX_LIST_LIMIT})`, limit, DEFAULT_LIMIT)
    .action((opts: { status?: TaskStatus[]; search?: string; limit: number }) =>
      run(async (ctx) => {
        const { client } = await ctx.connect();
        const page = await client.request('listTasks', {
          limit: opts.limit,
          ...(opts.status && { status: opts.status }),
          ...(opts.search !== undefined && { search: opts.search }),
        });
        for (const task of page.tasks) ctx.out.event('task', { task });
        ctx.out.event('listed', { count: page.tasks.length, total: page.total });
        if (page.tasks.length === 0) return void ctx.out.note('No tasks.');
        const width = Math.max(20, (process.stdout.columns || 120) - 80);
        ctx.out.result(table(
          ['ID', 'STATUS', 'PROGRESS', 'PROVIDER', 'CREATED', 'PROMPT'],
          page.tasks.map((t) => [t.videoId, t.status, `${t.progress}%`, t.providerId, when(t.createdAt), clip(t.prompt, width)]),
        ));
        if (page.total > page.tasks.length) ctx.out.note(`${page.tasks.length} of ${page.total} shown; --limit N shows more.`);
      }),
    );
};
