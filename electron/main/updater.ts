// The UpdaterPort over electron-updater: checks at start and every 6 hours when online (soon after coming
// online if it started offline), downloads in
// the background, never downgrades, and installs only after the core has flushed. Off in development.
import type { EventEmitter } from 'node:events';
import type { UpdateState, UpdaterPort } from '../core/update-types';
import type { Logger } from '../core/log';
import { requireSignedUpdates, type SignableUpdater } from './signed-updates';
import { UPDATE_PUBLIC_KEY_PEM } from './update-public-key';

export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
/** How often the schedule looks whether a check is due: an app that started offline checks soon after it is online. */
export const SCHEDULE_TICK_MS = 15 * 60 * 1000;

/** The part of electron-updater's autoUpdater used here (an EventEmitter with these knobs). */
export interface AutoUpdaterLike extends Pick<EventEmitter, 'on'> {
  autoDownload: boolean;
  allowDowngrade: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdaterOptions {
  /** null when not packaged: the port reports 'unsupported' and never touches the network. */
  autoUpdater: AutoUpdaterLike | null;
  isOnline(): boolean;
  /** Flushes the core before the app is replaced. */
  beforeInstall(): Promise<void>;
  logger: Logger;
  setInterval?: (fn: () => void, ms: number) => { unref?(): void };
  now?: () => number;
  /** The release key updates must be signed with (default: the project's, update-public-key.ts). */
  publicKeyPem?: string;
}

/** Error text for the UI: first line, no URLs (a feed URL may carry a token). */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].replace(/https?:\/\/\S+/g, '[url]').slice(0, 300);
}

export function createUpdater(opts: UpdaterOptions): UpdaterPort & { startSchedule(): void } {
  const { logger } = opts;
  // Signature checks or no self-update at all (signed-updates.ts).
  const signed = opts.autoUpdater !== null
    && requireSignedUpdates(opts.autoUpdater as AutoUpdaterLike & SignableUpdater, { publicKeyPem: opts.publicKeyPem ?? UPDATE_PUBLIC_KEY_PEM, logger });
  const autoUpdater = signed ? opts.autoUpdater : null;
  let state: UpdateState = autoUpdater
    ? { state: 'idle' }
    : opts.autoUpdater
      ? { state: 'error', message: 'Self-update is off: this build cannot check update signatures.' }
      : { state: 'unsupported' };
  const listeners = new Set<(s: UpdateState) => void>();

  const set = (next: UpdateState) => {
    state = next;
    for (const cb of listeners) {
      try {
        cb(state);
      } catch (err) {
        logger.warn('update state listener failed', { err });
      }
    }
  };

  if (autoUpdater) {
    autoUpdater.autoDownload = true;
    autoUpdater.allowDowngrade = false;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.on('checking-for-update', () => set({ state: 'checking' }));
    autoUpdater.on('update-available', (info: { version?: string }) => set({ state: 'available', version: info?.version }));
    autoUpdater.on('update-not-available', () => set({ state: 'up-to-date' }));
    autoUpdater.on('download-progress', (p: { percent?: number }) =>
      set({ state: 'downloading', version: state.version, progress: Math.max(0, Math.min(100, Math.round(p?.percent ?? 0))) }));
    autoUpdater.on('update-downloaded', (info: { version?: string }) => set({ state: 'downloaded', version: info?.version ?? state.version }));
    autoUpdater.on('error', (err: unknown) => {
      logger.warn('update failed', { message: describe(err) });
      set({ state: 'error', message: describe(err), ...(state.version ? { version: state.version } : {}) });
    });
  }

  const now = opts.now ?? Date.now;
  /** When a check last went out (online); null until the first one. */
  let lastCheckAt: number | null = null;

  const check = async (): Promise<void> => {
    if (!autoUpdater) return;
    // A download under way or waiting for a restart is not interrupted by a routine check.
    if (state.state === 'downloading' || state.state === 'downloaded' || state.state === 'checking') return;
    if (!opts.isOnline()) {
      logger.info('update check skipped: offline');
      return;
    }
    lastCheckAt = now();
    try {
      const result = await autoUpdater.checkForUpdates();
      // A failed download is reported by the 'error' event; its promise must not go unhandled as well.
      (result as { downloadPromise?: Promise<unknown> | null } | null)?.downloadPromise?.catch(() => undefined);
    } catch (err) {
      set({ state: 'error', message: describe(err) });
    }
  };

  let installing = false;
  return {
    getState: () => state,
    onState(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    check,
    install() {
      if (!autoUpdater || state.state !== 'downloaded' || installing) return;
      installing = true;
      opts.beforeInstall()
        .catch((err: unknown) => logger.error('flush before update failed', { err }))
        .finally(() => autoUpdater.quitAndInstall(false, true));
    },
    startSchedule() {
      if (!autoUpdater) return;
      void check();
      const every = opts.setInterval ?? ((fn, ms) => setInterval(fn, ms));
      // Due 6 hours after the last check that went out, or as soon as possible if none has (offline so far).
      every(() => {
        if (lastCheckAt === null || now() - lastCheckAt >= CHECK_EVERY_MS) void check();
      }, SCHEDULE_TICK_MS).unref?.();
    },
  };
}
