// `soradesk`: the command line of SoraDesk (package.json `bin`, also `npm run cli -- ...`).
// Plain Node, no Electron. The first Ctrl-C stops what the command is waiting for (the job goes on
// in the service) and ends it cleanly with 130; a second one ends the process at once.
import { CLI_EXIT } from './cli-errors';
import { buildProgram } from './cli-program';
import { COMMANDS } from './commands/index';
import { projectFiles } from './project-files';

async function main(): Promise<void> {
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(CLI_EXIT.interrupted);
    interrupt.abort();
  });
  const { run } = buildProgram({ version: projectFiles().version, commands: COMMANDS, signal: interrupt.signal });
  const code = await run(process.argv.slice(2));
  // Whatever is still open (an HTTP keep-alive socket) must not keep a finished command waiting.
  process.stdout.write('', () => process.exit(code));
}

void main();
