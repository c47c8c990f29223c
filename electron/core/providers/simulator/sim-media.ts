// The demo's sample media, served with single-range support as a video host would, by the API itself
// (openai's content endpoint) or by the media host standing in for a provider's CDN.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimContext } from './sim-context';
import { HttpError, type SimDialect } from './sim-http';

/** resources/demo next to the project root; the Electron build may pass another place. */
export function defaultSampleDir(): string {
  return fileURLToPath(new URL('../../../../resources/demo/', import.meta.url));
}

export interface SampleMedia {
  video: Buffer;
  thumbnail: Buffer;
}

export async function loadSampleMedia(dir: string): Promise<SampleMedia> {
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name));
    } catch (err) {
      throw new Error(`demo media ${name} not found in ${dir}: ${(err as Error).message}`);
    }
  };
  return { video: await read('sample.mp4'), thumbnail: await read('thumbnail.jpg') };
}

/** Sends `data`, honouring one `Range: bytes=` range (206), or 416 when it cannot be met. */
export function sendMedia(req: IncomingMessage, res: ServerResponse, data: Buffer, contentType: string): void {
  const size = data.length;
  const base = { 'content-type': contentType, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...base, 'content-range': `bytes */${size}` });
    res.end();
    return;
  }
  if (range) {
    const [start, end] = range;
    res.writeHead(206, { ...base, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
    res.end(req.method === 'HEAD' ? undefined : data.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, { ...base, 'content-length': size });
  res.end(req.method === 'HEAD' ? undefined : data);
}

/** [start, end] inclusive; null to send everything (no header, a multi-range or a malformed one). */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

/** How long a dialect's media host keeps a finished video (Replicate deletes outputs after an hour). */
const MEDIA_LIFETIME_MS: Partial<Record<SimDialect, number>> = { replicate: 3600_000, gemini: 2 * 24 * 3600_000 };

/**
 * The media host (the second port): what a CDN or a delivery host serves, the job's file by its
 * unguessable name, to anyone who has the URL. It asks for no key and must never be given one.
 */
export function serveMediaHost(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not allowed here`);
  const m = /^\/media\/([0-9a-f]{32})\.(mp4|jpg)$/.exec(url.pathname);
  const job = m ? ctx.jobs.byMedia(m[1]) : undefined;
  const state = job ? ctx.jobs.state(job) : null;
  const lifetime = job ? MEDIA_LIFETIME_MS[job.dialect] ?? Infinity : 0;
  if (!m || !job || state?.phase !== 'completed' || ctx.clock.now() > (state.endedAtMs ?? 0) + lifetime) throw new HttpError(404, 'Not Found');
  if (m[2] === 'jpg') sendMedia(req, res, ctx.media.thumbnail, 'image/jpeg');
  else sendMedia(req, res, ctx.media.video, 'video/mp4');
}
