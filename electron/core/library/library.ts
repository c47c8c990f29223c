// The video library: keeps every finished video on disk before the upstream's link expires.
// A task that becomes COMPLETED (with autoDownload on) is queued; a few downloads run at a time; the
// file is written atomically; only then is the task stored with its localPath and, once that is
// durable, pushed to clients. Deleting a task keeps its file: the video is the user's.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { UpstreamError, type ContentResponse } from '../providers/provider-client';
import type { Hub } from '../server/door-types';
import { toView, type TaskRecord } from '../tasks/record';
import { contentUrl } from '../tasks/service-apply';
import type { SettingsSource, TaskService } from '../tasks/service-types';
import { isCanonicalIso } from '../tasks/store-index';
import type { TaskStore } from '../tasks/task-store';
import { DiskError, TransferError, isPartFile, libraryBaseName, nodeLibraryFileOps, saveAtomically, type LibraryFileOps } from './library-file';

export const DOWNLOAD_FAILED = 'DOWNLOAD_FAILED';
/** One disk notice per folder and reason in this span, however many downloads hit it. */
const DISK_NOTICE_EVERY_MS = 60_000;
/**
 * How long a download link may live when the upstream named no expiry: after that a finished task's
 * video is taken as gone, so a start with a long history does not queue downloads that can only fail.
 */
export const UNKNOWN_LINK_LIFETIME_MS = 7 * 24 * 3_600_000;
/** Finished tasks the start-up scan reads at a time. */
const SCAN_PAGE = 200;

const isoCache = { at: NaN, iso: '' };

/** Is `when` at or after `since`? Compared as text when it is what toISOString() writes (a scan of 100,000 tasks does this each). */
function finishedSince(when: string, since: number): boolean {
  if (isoCache.at !== since) Object.assign(isoCache, { at: since, iso: new Date(since).toISOString() });
  if (isCanonicalIso(when)) return when >= isoCache.iso;
  const t = Date.parse(when);
  return !Number.isFinite(t) || t >= since;
}

export interface LibraryDeps {
  store: TaskStore;
  hub: Hub;
  service: Pick<TaskService, 'clientForProvider' | 'onRecord'>;
  settings: SettingsSource;
  /** Used when the libraryDir setting is null. */
  defaultDir: string;
  logger: Logger;
  clock: Clock;
  /** Downloads at a time (default 2). */
  concurrency?: number;
  /** Tries per download when the upstream fails transiently (default 4). */
  maxAttempts?: number;
  /** First retry delay, doubled each time (default 2 s). */
  retryBaseMs?: number;
  fileOps?: LibraryFileOps;
}

export interface Library {
  /** Listens for finished tasks and queues those finished earlier whose link has not expired. */
  start(): void;
  /** Stops taking work and breaks off downloads in flight (their temp files are removed). */
  stop(): void;
  /** Resolves when no download is running (after stop(): once the ones in flight have let go). */
  idle(): Promise<void>;
}

type Body = NodeJS.ReadableStream & { destroy?(err?: Error): void };

export function createLibrary(deps: LibraryDeps): Library {
  const { store, hub, service, settings, logger, clock } = deps;
  const concurrency = Math.max(1, deps.concurrency ?? 2);
  const maxAttempts = Math.max(1, deps.maxAttempts ?? 4);
  const retryBaseMs = deps.retryBaseMs ?? 2000;
  const ops = deps.fileOps ?? nodeLibraryFileOps;

  const waiting: string[] = [];
  /** Waiting, running or waiting to retry: never queued twice. */
  const queued = new Set<string>();
  const attempts = new Map<string, number>();
  const retryTimers = new Map<string, unknown>();
  /** Given up for this run (expired, refused); a disk failure is forgiven when the settings change. */
  const gaveUp = new Map<string, 'upstream' | 'disk'>();
  const running = new Set<Promise<void>>();
  const bodies = new Set<Body>();
  const lastDiskNotice = new Map<string, number>();
  const unsubscribe: Array<() => void> = [];
  let stopped = true;
  let sweeping: Promise<void> = Promise.resolve();
  let scanning: Promise<void> = Promise.resolve();
  /** Scans started; a scan that sees a newer one stops. */
  let scans = 0;
  /** Wakes a scan waiting for the queue to shrink. */
  let roomInQueue: () => void = () => undefined;
  let stopSignal: () => void = () => undefined;
  let stopped$ = new Promise<void>((resolve) => (stopSignal = resolve));

  const libraryDir = () => settings.get().libraryDir ?? deps.defaultDir;

  /** A finished task with no file yet whose link may still work. */
  function wanted(rec: TaskRecord | undefined, now = clock.now()): rec is TaskRecord {
    if (!rec || rec.status !== 'COMPLETED' || rec.localPath || (!rec.externalId && !rec.videoUrl)) return false;
    if (rec.expiresAt != null) return Date.parse(rec.expiresAt) > now;
    return finishedSince(rec.completedAt ?? rec.updatedAt, now - UNKNOWN_LINK_LIFETIME_MS);
  }

  function enqueue(videoId: string): void {
    if (!settings.get().autoDownload) return;
    add(videoId);
  }

  /** Queues a download (the caller checked autoDownload). */
  function add(videoId: string): void {
    if (stopped || queued.has(videoId) || gaveUp.has(videoId)) return;
    queued.add(videoId);
    waiting.push(videoId);
    pump();
  }

  function pump(): void {
    while (!stopped && running.size < concurrency && waiting.length > 0) {
      const videoId = waiting.shift()!;
      const job: Promise<void> = download(videoId)
        .catch((err: unknown) => logger.error('library download step failed', { videoId, err }))
        .finally(() => {
          running.delete(job);
          pump();
        });
      running.add(job);
    }
    if (waiting.length < concurrency) roomInQueue();
  }

  function finish(videoId: string): void {
    queued.delete(videoId);
    attempts.delete(videoId);
  }

  async function download(videoId: string): Promise<void> {
    const rec = store.get(videoId);
    if (!wanted(rec) || !settings.get().autoDownload) return finish(videoId);
    const attempt = (attempts.get(videoId) ?? 0) + 1;
    attempts.set(videoId, attempt);
    const dir = libraryDir();
    const base = libraryBaseName(rec);
    try {
      const { client, conn } = await service.clientForProvider(rec.providerId);
      const job = { externalId: rec.externalId ?? '', videoUrl: rec.externalId && rec.videoUrl === contentUrl(conn.baseUrl, rec.externalId, 'video') ? null : rec.videoUrl };
      const saved = await fetchAndSave(() => client.fetchContent(job, 'video'), dir, `${base}.mp4`);
      if (!saved) return finish(videoId);
      // The thumbnail is a nicety: the video is what must not be lost.
      await fetchAndSave(() => client.fetchContent(job, 'thumbnail'), dir, `${base}.jpg`).catch((err: unknown) =>
        logger.debug('thumbnail not kept', { videoId, message: (err as Error).message }));
      const fresh = store.get(videoId);
      if (!fresh) {
        logger.info('task deleted while its video downloaded; the file stays in the library', { videoId, file: saved });
        return finish(videoId);
      }
      const next: TaskRecord = { ...fresh, localPath: saved, updatedAt: new Date(clock.now()).toISOString() };
      await store.put(next);
      hub.publishTask(next.userId, toView(next));
      logger.info('video kept in the library', { videoId, file: saved });
      finish(videoId);
    } catch (err) {
      failed(rec, err, attempt, dir);
    }
  }

  /** null: the library stopped meanwhile (nothing written). */
  async function fetchAndSave(open: () => Promise<ContentResponse>, dir: string, fileName: string): Promise<string | null> {
    const opening = open();
    // stop() does not wait for an upstream that is slow to answer: whatever arrives later is dropped.
    const res = await Promise.race([opening, stopped$.then(() => null)]);
    if (!res || stopped) {
      void opening.then((r) => (r.body as Body).destroy?.(), () => undefined);
      return null;
    }
    const body = res.body as Body;
    if (res.status !== 200) {
      body.destroy?.();
      throw new UpstreamError('UPSTREAM_ERROR', `the upstream answered HTTP ${res.status} for the content`, { transient: res.status >= 500, reached: 'yes', httpStatus: res.status });
    }
    const length = Number(res.headers['content-length']);
    bodies.add(body);
    try {
      // The app's own folder is private; a folder the user chose is theirs to share (library-file.ts).
      const ownFolder = settings.get().libraryDir === null;
      const saved = await saveAtomically({ dir, fileName, body: body as AsyncIterable<unknown>, expectedBytes: Number.isFinite(length) ? length : null, ops, private: ownFolder });
      return saved.path;
    } catch (err) {
      if (stopped) return null;
      throw err;
    } finally {
      bodies.delete(body);
    }
  }

  function failed(rec: TaskRecord, err: unknown, attempt: number, dir: string): void {
    const videoId = rec.videoId;
    const what = `"${rec.prompt.length > 60 ? rec.prompt.slice(0, 57) + '...' : rec.prompt}" (${videoId})`;
    if (err instanceof DiskError) {
      finish(videoId);
      gaveUp.set(videoId, 'disk');
      logger.error('video not kept: the library folder refused the file', { videoId, dir, code: err.code });
      const key = `${err.reason}:${dir}`;
      const last = lastDiskNotice.get(key);
      if (last != null && clock.now() - last < DISK_NOTICE_EVERY_MS) return;
      lastDiskNotice.set(key, clock.now());
      const why = err.reason === 'full'
        ? `the disk is full (${dir})`
        : `the folder ${dir} is not writable (${err.code}); choose another library folder in Settings`;
      hub.broadcast('notice', { level: 'error', code: DOWNLOAD_FAILED, videoId, message: `Could not save the video ${what}: ${why}. It can still be played from the provider until its link expires.` });
      return;
    }
    const transient = err instanceof TransferError || (err instanceof UpstreamError && err.transient);
    if (transient && attempt < maxAttempts && !stopped) {
      const wait = Math.max(retryBaseMs * 2 ** (attempt - 1), err instanceof UpstreamError ? err.retryAfterMs ?? 0 : 0);
      logger.warn('video download failed; trying again', { videoId, attempt, waitMs: wait, message: (err as Error).message });
      retryTimers.set(videoId, clock.setTimeout(() => {
        retryTimers.delete(videoId);
        if (stopped) return;
        waiting.push(videoId);
        pump();
      }, wait));
      return;
    }
    finish(videoId);
    gaveUp.set(videoId, 'upstream');
    const gone = err instanceof UpstreamError && err.code === 'NOT_FOUND';
    const known = err instanceof UpstreamError || err instanceof TransferError || err instanceof AppError;
    if (!known) logger.error('video download failed unexpectedly', { videoId, err });
    else logger.warn('video not kept in the library', { videoId, attempts: attempt, message: (err as Error).message });
    const why = gone
      ? 'the provider no longer has it (the download link may have expired)'
      : known ? (err as Error).message : 'an internal error (see the log)';
    hub.broadcast('notice', { level: 'warning', code: DOWNLOAD_FAILED, providerId: rec.providerId, videoId, message: `Could not download the video ${what}: ${why}.` });
  }

  /**
   * Finds the finished tasks that have no file yet and whose link may still work, newest first, a page
   * at a time with other work between pages, and queues only as many as the downloads can take next:
   * it goes on when those are done. A newer scan (the settings changed) replaces a running one.
   */
  async function scan(): Promise<void> {
    const mine = ++scans;
    const now = clock.now();
    let cursor: string | null = null;
    do {
      while (waiting.length >= concurrency && !stopped && mine === scans) await new Promise<void>((resolve) => (roomInQueue = resolve));
      if (stopped || mine !== scans) return;
      const page = store.list({ status: 'COMPLETED', limit: SCAN_PAGE, cursor });
      for (const rec of page.tasks) if (wanted(rec, now)) add(rec.videoId);
      cursor = page.nextCursor;
      await new Promise((resolve) => setImmediate(resolve));
    } while (cursor);
  }

  function startScan(): void {
    const run = scan().catch((err: unknown) => logger.error('library scan failed', { err }));
    scanning = scanning.then(() => run);
  }

  /** Temp files a crash left behind in the current folder. */
  async function sweepParts(dir: string): Promise<void> {
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    for (const name of names) if (isPartFile(name)) await ops.remove(path.join(dir, name)).catch(() => undefined);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      stopped$ = new Promise<void>((resolve) => (stopSignal = resolve));
      unsubscribe.push(service.onRecord((videoId, rec) => {
        if (!rec) return; // deleted: its file, if any, stays
        if (wanted(rec)) enqueue(videoId);
      }));
      let before = settings.get();
      const off = settings.onChange((s) => {
        const changed = s.libraryDir !== before.libraryDir || (s.autoDownload && !before.autoDownload);
        before = s;
        if (!changed) return;
        // A new folder or auto-download turned on: what the disk refused may work now.
        for (const [id, why] of gaveUp) if (why === 'disk') gaveUp.delete(id);
        if (s.autoDownload) startScan();
      });
      if (typeof off === 'function') unsubscribe.push(off as () => void);
      sweeping = sweepParts(before.libraryDir ?? deps.defaultDir);
      if (before.autoDownload) startScan();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const off of unsubscribe.splice(0)) off();
      for (const t of retryTimers.values()) clock.clearTimeout(t);
      retryTimers.clear();
      waiting.length = 0;
      queued.clear();
      attempts.clear();
      // Breaks off the transfers; saveAtomically removes their temp files.
      for (const b of bodies) b.destroy?.(new Error('the library stopped'));
      roomInQueue();
      stopSignal();
    },
    async idle() {
      for (;;) {
        await sweeping;
        await scanning;
        if (running.size === 0) return;
        await Promise.allSettled([...running]);
      }
    },
  };
}
