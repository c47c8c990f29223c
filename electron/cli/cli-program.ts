// The `soradesk` program on commander: global options, the commands (one file each, listed in
// commands/index.ts), and the one runner every command's action goes through: it reaches SoraDesk
// when the command asks, reports a failure in one line (and as an `error` event with --json), closes
// the link (stopping an own core) and settles the exit code.
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { asCliError, CLI_EXIT, type CliExitCode } from './cli-errors';
import { createOutput, type CliOutput, type OutputStreams } from './cli-output';
import { openSession, type ServiceSession } from './cli-session';
import { defaultDataDir } from './serve-args';

export interface CommandContext {
  readonly out: CliOutput;
  readonly dataDir: string;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
  /** Reaches SoraDesk: the one running on the data dir, or a core of this process's own (closed after the command). */
  connect(): Promise<ServiceSession>;
}

/** A command's work; resolves with its exit code (0 when it says nothing). */
export type CommandBody = (ctx: CommandContext) => Promise<CliExitCode | void>;
export type CommandRunner = (body: CommandBody) => Promise<void>;

/** One command: adds itself (arguments, options, help) to the program; its action hands its work to `run`. */
export type CliCommand = (program: Command, run: CommandRunner) => void;

interface GlobalOptions {
  dataDir: string;
  json?: boolean;
}

export interface ProgramEnv {
  version: string;
  commands: readonly CliCommand[];
  signal: AbortSignal;
  streams?: OutputStreams;
}

const EXIT_CODES_HELP = `
Exit codes:
  0    done (with --wait: the video is finished)
  1    the job failed or was cancelled, or SoraDesk refused the request (its message is printed)
  2    a bad command line
  3    SoraDesk cannot be reached, and none could be started on the data dir
  130  interrupted (Ctrl-C); a job being waited for goes on

Without a running SoraDesk (the desktop app or npm run serve) on the data dir, the command runs the
service itself for as long as it takes, on the same data dir.`;

/** How long closing (an own core's flush) may take before the command ends anyway. */
const CLOSE_LIMIT_MS = 5000;

export interface SoradeskProgram {
  program: Command;
  /** Parses and runs; resolves with the exit code. */
  run(argv: string[]): Promise<number>;
}

export function buildProgram(env: ProgramEnv): SoradeskProgram {
  const streams = env.streams ?? { stdout: process.stdout, stderr: process.stderr };
  let exitCode: number = CLI_EXIT.ok;
  const program = new Command('soradesk')
    .description('Make and follow SoraDesk video jobs from a terminal or a script.')
    .version(env.version, '-V, --version')
    .option('--data-dir <dir>', 'the SoraDesk data folder (as for npm run serve)', defaultDataDir())
    .option('--json', 'print one JSON object per event on stdout ({"event": ...}), for scripts')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(soradesk --help lists the commands and options)')
    .configureOutput({ writeOut: (s) => streams.stdout.write(s), writeErr: (s) => streams.stderr.write(s) })
    // Usage errors exit 2 (commander's own is 1, which here means a failed job).
    .exitOverride();

  const run: CommandRunner = async (body) => {
    const opts = program.opts<GlobalOptions>();
    const out = createOutput(opts.json === true, streams);
    const dataDir = path.resolve(opts.dataDir);
    const link: { session?: Promise<ServiceSession> } = {};
    const ctx: CommandContext = { out, dataDir, signal: env.signal, connect: () => (link.session ??= openSession({ dataDir, note: out.note })) };
    try {
      exitCode = (await body(ctx)) ?? CLI_EXIT.ok;
    } catch (err) {
      const e = asCliError(err);
      out.endProgress();
      out.note(e.message);
      out.event('error', { code: e.code ?? null, message: e.message, exitCode: e.exitCode });
      exitCode = e.exitCode;
    } finally {
      out.endProgress();
      const opened = await link.session?.catch(() => null);
      // An own core flushes and stops; one that hangs (an upstream call that never ends) is left behind.
      if (opened) await Promise.race([opened.close(), new Promise((r) => setTimeout(r, CLOSE_LIMIT_MS).unref())]);
    }
    if (env.signal.aborted && exitCode === CLI_EXIT.ok) exitCode = CLI_EXIT.interrupted;
  };

  for (const add of env.commands) add(program, run);

  return {
    program,
    async run(argv) {
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (err) {
        if (!(err instanceof CommanderError)) throw err;
        // --help and --version end here too, with commander's code 0.
        if (err.exitCode === 0) return CLI_EXIT.ok;
        // Commander has printed it; a script reading --json gets it as an event too.
        if (argv.includes('--json')) createOutput(true, streams).event('error', { code: 'USAGE', message: err.message.replace(/^error: /, ''), exitCode: CLI_EXIT.usage });
        return CLI_EXIT.usage;
      }
      return exitCode;
    },
  };
}
