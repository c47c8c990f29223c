// Every `soradesk` command. A new command is one file in this folder (a CliCommand) and its line here.
import type { CliCommand } from '../cli-program';
import { batchCommand } from './batch';
import { cancelCommand } from './cancel';
import { createCommand } from './create';
import { diagnosticsCommand } from './diagnostics';
import { downloadCommand } from './download';
import { listCommand } from './list';
import { providersCommand } from './providers';
import { statusCommand } from './status';
import { waitCommand } from './wait';

export const COMMANDS: readonly CliCommand[] = [
  createCommand,
  batchCommand,
  waitCommand,
  listCommand,
  statusCommand,
  cancelCommand,
  downloadCommand,
  providersCommand,
  diagnosticsCommand,
];
