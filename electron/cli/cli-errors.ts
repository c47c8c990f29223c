// The `soradesk` command's exit codes (README "The soradesk command") and the error that carries one.
import { ContractError } from '@shared/client/contract-client';

export const CLI_EXIT = {
  ok: 0,
  /** The job failed or was cancelled, or SoraDesk refused the request (its message says why). */
  failed: 1,
  /** A bad command line: unknown command or option, a missing or malformed value, an unreadable --image. */
  usage: 2,
  /** No SoraDesk could be reached, and none could be started on the data dir. */
  unreachable: 3,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const;

export type CliExitCode = (typeof CLI_EXIT)[keyof typeof CLI_EXIT];

/** A failure the command explains in one line; `code` is the protocol's or the job's, for --json. */
export class CliError extends Error {
  constructor(
    readonly exitCode: CliExitCode,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(CLI_EXIT.usage, message, 'USAGE');

/** Any failure as the command reports it: SoraDesk's refusal exits 1 with its message, a lost link 3. */
export function asCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ContractError) {
    if (err.code === 'OFFLINE') return new CliError(CLI_EXIT.unreachable, `Lost the connection to SoraDesk: ${err.message}`, 'OFFLINE');
    return new CliError(CLI_EXIT.failed, err.message, err.code);
  }
  return new CliError(CLI_EXIT.failed, err instanceof Error ? err.message : String(err), 'INTERNAL');
}
