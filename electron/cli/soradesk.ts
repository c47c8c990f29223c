// `soradesk`: the command line of SoraDesk (package.json `bin`, also `npm run cli -- ...`).
// Plain Node, no Electron. Ctrl-C stops what the command is waiting for (the job goes on in the
// service) and ends it cleanly with 130: an own core still flushes (within the runner's close limit).
import { buildProgram } from './cli-program';
import { COMMANDS } from './commands/index';
import { projectFiles } from './project-files';

async function main(): Promise<void> {
  const interrupt = new AbortController();
  // Every Ctrl-C only aborts: a library the core uses (when-exit, under conf) raises SIGINT again after
  // its own clean-up, and that must not cut the core's stop short.
  process.on('SIGINT', () => interrupt.abort());
  const { run } = buildProgram({ version: projectFiles().version, commands: COMMANDS, signal: interrupt.signal });
  const code = await run(process.argv.slice(2));
  // Whatever is still open (an HTTP keep-alive socket) must not keep a finished command waiting.
  process.stdout.write('', () => process.exit(code));
}

void main();
