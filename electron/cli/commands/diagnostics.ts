// `soradesk diagnostics [--out DIR] [--include-prompts]`: the bundle for a bug report (never a key or a token).
import fs from 'node:fs';
import path from 'node:path';
import { CLI_EXIT, CliError } from '../cli-errors';
import type { CliCommand } from '../cli-program';

export const diagnosticsCommand: CliCommand = (program, run) => {
  program
    .command('diagnostics')
    .description('write a diagnostics zip for a bug report (logs, versions, settings, counts; never a key or a token); prints its path')
    .option('--out <dir>', 'put the zip into DIR (default: the data folder\'s diagnostics/)')
    .option('--include-prompts', 'include prompts and file names (left out by default)')
    .action((opts: { out?: string; includePrompts?: boolean }) =>
      run(async (ctx) => {
        const { client } = await ctx.connect();
        const made = await client.request('exportDiagnostics', { includePrompts: opts.includePrompts === true });
        let file = made.path;
        if (opts.out !== undefined) {
          const dir = path.resolve(opts.out);
          file = path.join(dir, path.basename(made.path));
          try {
            fs.mkdirSync(dir, { recursive: true });
            fs.copyFileSync(made.path, file);
            fs.chmodSync(file, 0o600);
          } catch (err) {
            throw new CliError(CLI_EXIT.failed, `The diagnostics zip was written to ${made.path}, but could not be copied into ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, 'SAVE_FAILED');
          }
        }
        ctx.out.event('diagnostics', { path: file, bytes: fs.statSync(file).size, includePrompts: opts.includePrompts === true });
        ctx.out.result(file);
      }),
    );
};
