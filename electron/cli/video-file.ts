// Saving a finished task's video where the user asked (`--out FILE`): the library's kept file when there
// is one, else SoraDesk's `/media/<id>` (which streams it from the provider) with the token. Written to
// a temp file in the target folder, fsynced and renamed: FILE never holds half a video.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { TaskView } from '@shared/contract/task';
import { CLI_EXIT, CliError } from './cli-errors';
import type { ServiceSession } from './cli-session';

export interface SavedVideo {
  videoId: string;
  path: string;
  bytes: number;
  /** `library`: copied from the kept file; `service`: fetched through SoraDesk. */
  from: 'library' | 'service';
}

/** FILE, or FILE/<the kept file's name or <id>.mp4> when FILE is a folder. */
function targetPath(outFile: string, task: TaskView): string {
  const target = path.resolve(outFile);
  if (!fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()) return target;
  return path.join(target, task.localPath ? path.basename(task.localPath) : `${task.videoId}.mp4`);
}

async function fetchFromService(session: ServiceSession, videoId: string, into: string, signal: AbortSignal): Promise<void> {
  const url = `${session.httpUrl}media/${encodeURIComponent(videoId)}?variant=video`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${session.token}` }, signal });
  if (!res.ok || !res.body) {
    const why = (await res.text().catch(() => '')).trim();
    throw new CliError(CLI_EXIT.failed, `SoraDesk could not deliver the video of ${videoId}: HTTP ${res.status}${why ? ` ${why}` : ''}.`, 'DOWNLOAD_FAILED');
  }
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), fs.createWriteStream(into, { flags: 'wx', mode: 0o644 }));
}

export async function saveVideo(session: ServiceSession, task: TaskView, outFile: string, signal: AbortSignal): Promise<SavedVideo> {
  if (task.status !== 'COMPLETED') {
    throw new CliError(CLI_EXIT.failed, `${task.videoId} is ${task.status}: it has no video${task.status === 'FAILED' || task.status === 'CANCELLED' ? '' : ` yet (soradesk wait ${task.videoId} --out FILE waits for it)`}.`, 'NOT_COMPLETED');
  }
  const target = targetPath(outFile, task);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.part`);
  const kept = task.localPath !== null && fs.existsSync(task.localPath) ? task.localPath : null;
  try {
    if (kept) await fs.promises.copyFile(kept, temp, fs.constants.COPYFILE_EXCL);
    else await fetchFromService(session, task.videoId, temp, signal);
    const fd = await fs.promises.open(temp, 'r+');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(temp, target);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    if (err instanceof CliError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new CliError(CLI_EXIT.failed, `Could not save the video of ${task.videoId} to ${target}: ${e.code ?? e.message}.`, e.code ?? 'SAVE_FAILED');
  }
  return { videoId: task.videoId, path: target, bytes: fs.statSync(target).size, from: kept ? 'library' : 'service' };
}
