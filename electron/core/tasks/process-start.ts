// When a process started, as an opaque string: the same process always gives the same string, another
// process that got the same pid later (after a crash and a reboot, or after pid wrap-around) a different
// one. The data-dir lock uses it to tell its own holder from a stranger that inherited the pid.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ASK_LIMIT_MS = 5000;

let bootId: Promise<string | null> | null = null;

async function linuxStart(pid: number): Promise<string | null> {
  bootId ??= fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim(), () => null);
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
  // Field 22, starttime, is the 20th after it: clock ticks since boot, so the boot id makes it unique.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return ticks ? `linux:${(await bootId) ?? 'unknown-boot'}:${ticks}` : null;
}

async function psStart(pid: number): Promise<string | null> {
  const { stdout } = await run('ps', ['-o', 'lstart=', '-p', String(pid)], { timeout: ASK_LIMIT_MS });
  const started = stdout.trim();
  return started ? `ps:${started}` : null;
}

async function windowsStart(pid: number): Promise<string | null> {
  const { stdout } = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-Process -Id ${pid}).StartTime.ToUniversalTime().Ticks`], {
    timeout: ASK_LIMIT_MS,
    windowsHide: true,
  });
  const ticks = stdout.trim();
  return /^\d+$/.test(ticks) ? `win:${ticks}` : null;
}

/** Null when the process does not exist or the system will not say. */
export async function processStartId(pid: number, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    if (platform === 'linux') return await linuxStart(pid);
    if (platform === 'win32') return await windowsStart(pid);
    return await psStart(pid);
  } catch {
    return null;
  }
}
