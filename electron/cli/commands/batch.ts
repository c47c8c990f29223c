// `soradesk batch FILE [--name N] [--provider ID] [--variants N] [--wait]`: a batch from a .txt (one prompt
// a line) or a .csv (a header row: prompt, model, seconds, size), read as the app reads it. A bad row is
// a usage error naming its line, and nothing is sent. Prints the batch id (with --wait: follows it to its end).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { BatchView } from '@shared/contract/batch';
import { parseBatchFile } from '@shared/contract/batch-file';
import { MAX_BATCH_VARIANTS } from '@shared/contract/values';
import { CLI_EXIT, CliError, usageError } from '../cli-errors';
import type { CliCommand } from '../cli-program';

interface BatchOptions {
  name?: string;
  provider?: string;
  variants?: number;
  wait?: boolean;
}

function variants(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_BATCH_VARIANTS) throw new InvalidArgumentError(`a number from 1 to ${MAX_BATCH_VARIANTS}.`);
  return n;
}

const ended = (b: BatchView) => b.state === 'done' || b.state === 'cancelled';
const doneOf = (b: BatchView) => b.counts.COMPLETED + b.counts.FAILED + b.counts.CANCELLED;
const estimateOf = (b: BatchView) => (b.currency ? `${b.estimate.toFixed(2)} ${b.currency}` : 'price unknown') + (b.unpriced > 0 && b.currency ? ` (${b.unpriced} without a known price)` : '');

function readItems(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw usageError(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  const read = parseBatchFile(path.basename(file), text);
  if (!read.ok) throw usageError(`${file}, line ${read.line}: ${read.message}. Nothing was sent.`);
  return read.items;
}

export const batchCommand: CliCommand = (program, run) => {
  program
    .command('batch')
    .description('make a batch of videos from a .txt (one prompt a line) or .csv (header: prompt,model,seconds,size); prints the batch id')
    .argument('<file>', 'the .txt or .csv file')
    .option('--name <name>', 'a name for the batch (default: the file name)')
    .option('--provider <id>', 'provider for rows that name none (default: the default provider)')
    .option('--variants <n>', `make each prompt N times (1-${MAX_BATCH_VARIANTS})`, variants)
    .option('--wait', 'follow the batch until every item has ended')
    .action((file: string, o: BatchOptions) =>
      run(async (ctx) => {
        const items = readItems(file).map((item) => (o.provider && !item.providerId ? { ...item, providerId: o.provider } : item));
        const session = await ctx.connect();
        const { client } = session;
        let latest: BatchView | null = null;
        let wake: (() => void) | null = null;
        const off = client.onPush((msg) => {
          if (msg.type !== 'batchUpdated' || msg.payload.batch.id !== latest?.id) return;
          latest = msg.payload.batch;
          wake?.();
        });
        try {
          const created = await client.request('createBatch', { name: o.name ?? path.basename(file), items, ...(o.variants ? { variants: o.variants } : {}) });
          latest = created.batch;
          ctx.out.event('created', { batch: created.batch, videoIds: created.tasks.map((t) => t.videoId) });
          ctx.out.note(`Batch ${created.batch.id}: ${created.batch.total} tasks, estimated ${estimateOf(created.batch)}; ${created.batch.held} held for now (a slot, the budget).`);
          if (!o.wait) {
            if (session.ownCore) ctx.out.note('No SoraDesk is running: the tasks are stored and are sent when SoraDesk next runs (the app or npm run serve).');
            return ctx.out.result(created.batch.id);
          }
          let shown = '';
          while (latest && !ended(latest)) {
            const line = `${doneOf(latest)} of ${latest.total} done`;
            if (line !== shown) {
              ctx.out.note(line);
              ctx.out.event('update', { batch: latest });
              shown = line;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
              ctx.signal.addEventListener('abort', () => resolve(), { once: true });
            });
            if (ctx.signal.aborted) throw new CliError(CLI_EXIT.interrupted, `Stopped following ${created.batch.id}; its tasks go on.`, 'INTERRUPTED');
          }
          const end = latest as BatchView;
          if (`${doneOf(end)} of ${end.total} done` !== shown) ctx.out.note(`${doneOf(end)} of ${end.total} done`);
          ctx.out.event('ended', { batch: end });
          ctx.out.note(`${end.counts.COMPLETED} completed, ${end.counts.FAILED} failed, ${end.counts.CANCELLED} cancelled.`);
          ctx.out.result(end.id);
          if (end.counts.COMPLETED !== end.total) throw new CliError(CLI_EXIT.failed, `Batch ${end.id}: not every task completed.`, 'BATCH_INCOMPLETE');
        } finally {
          off();
        }
      }),
    );
};
