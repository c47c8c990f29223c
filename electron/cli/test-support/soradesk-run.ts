// Running the `soradesk` command in tests: as a user does (the bin, its own process, from a folder outside
// the project), or in this process (the same program with its output captured: no TypeScript compile per
// run, for the many checks that need no process of their own). And ffprobe, to tell a playable MP4.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildProgram } from '../cli-program';
import { COMMANDS } from '../commands/index';

const bin = path.resolve(import.meta.dirname, '../../../scripts/soradesk.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Demo jobs take a second in every service a test starts (the CLI's own core included). */
export const FAST_DEMO_ENV = { SORADESK_DEMO_JOB_MS: '1000' };

export interface SoradeskProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliRun>;
}

/** `soradesk ARGS` as its own process, run from `cwd` (a folder outside the project). */
export function spawnSoradesk(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): SoradeskProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...FAST_DEMO_ENV, ...opts.env },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, stdout: out, stderr: err })));
  return { child, stdout: () => out, stderr: () => err, done };
}

export const runSoradesk = (args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) => spawnSoradesk(args, opts).done;

class Collected extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The same program in this process, against whatever SoraDesk `--data-dir` names. */
export async function soradeskInProcess(args: string[]): Promise<CliRun> {
  const stdout = new Collected();
  const stderr = new Collected();
  const { run } = buildProgram({ version: '0.0.0-test', commands: COMMANDS, signal: new AbortController().signal, streams: { stdout, stderr } });
  const code = await run(args);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The lines of a --json run, parsed. */
export function events(stdout: string): Array<{ event: string } & Record<string, unknown>> {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string });
}

export const hasFfprobe = (() => {
  try {
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
export const NO_FFPROBE = 'ffprobe is missing (Debian: apt-get install ffmpeg; scripts/install-test-deps.sh installs it): the playable-MP4 check cannot run';

/** Decodes every frame of the first video stream: what a player would have to do. */
export function probeVideo(file: string): { format: string; codec: string; frames: number; seconds: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames:format=format_name,duration', '-of', 'json', file], { encoding: 'utf8' });
  const info = JSON.parse(out) as { streams: Array<{ codec_name: string; nb_read_frames: string }>; format: { format_name: string; duration: string } };
  return { format: info.format.format_name, codec: info.streams[0]?.codec_name ?? '', frames: Number(info.streams[0]?.nb_read_frames ?? 0), seconds: Number(info.format.duration) };
}
