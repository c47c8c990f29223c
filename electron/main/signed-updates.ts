// Hooks signature checks into electron-updater (6.8): nothing is handed to the installer unless its
// detached ed25519 signature (`<file>.sig` beside it in the release) verifies against the project's
// release key. electron-updater itself only compares the file with the SHA-512 in latest.yml, which comes
// from the same release as the file, so it proves nothing about who made it.
//
// Where: AppUpdater.executeDownload, which every platform's updater (NSIS, AppImage, deb, rpm, pacman,
// macOS zip) calls with a `task` that downloads into a temp file; the file becomes the pending update
// only after the task. The wrapper fetches the signature first (an unsigned release costs no download),
// and checks the downloaded file at the end of the task, so a refused file is deleted and never reaches
// `update-downloaded`, the install-on-quit handler or Squirrel.Mac. A file cached by an earlier run is
// checked too (DownloadedUpdateHelper.validateDownloadedPath), else downloaded again.
// These are electron-updater internals: signed-update.test.ts runs the real electron-updater against a
// local feed, so an upgrade that moves them fails there, and if they are missing at run time, self-update
// is switched off rather than left unchecked.
import path from 'node:path';
import type { Logger } from '../core/log';
import { SIGNATURE_SUFFIX, verifyUpdateFile } from './update-signature';

interface FileInfo { url: URL }
interface TaskOptions {
  fileInfo: FileInfo;
  downloadUpdateOptions: {
    updateInfoAndProvider: { info: { version: string } };
    requestHeaders?: Record<string, string>;
    cancellationToken: unknown;
  };
  task(destinationFile: string, ...rest: unknown[]): Promise<unknown>;
}
interface DownloadHelper {
  validateDownloadedPath(updateFile: string, ...rest: unknown[]): Promise<string | null>;
  clear(): Promise<void>;
}
/** What of electron-updater's AppUpdater this needs (protected members in its typings). */
export interface SignableUpdater {
  executeDownload?: (taskOptions: TaskOptions) => Promise<unknown>;
  getOrCreateDownloadHelper?: () => Promise<DownloadHelper>;
  httpExecutor?: { downloadToBuffer(url: URL, options: { headers?: Record<string, string>; cancellationToken: unknown }): Promise<Buffer> };
}

export class UpdateSignatureError extends Error {
  readonly code = 'ERR_SORADESK_UPDATE_SIGNATURE';
  constructor(version: string, reason: string) {
    super(`Update ${version} was not installed: ${reason}.`);
    this.name = 'UpdateSignatureError';
  }
}

export interface SignedUpdateOptions {
  publicKeyPem: string;
  logger: Logger;
}

/** Installs the checks on `updater`; false when electron-updater lacks the hooks (then nothing may install). */
export function requireSignedUpdates(updater: SignableUpdater, opts: SignedUpdateOptions): boolean {
  const { executeDownload, getOrCreateDownloadHelper, httpExecutor } = updater;
  if (typeof executeDownload !== 'function' || typeof getOrCreateDownloadHelper !== 'function' || typeof httpExecutor?.downloadToBuffer !== 'function') {
    opts.logger.error('self-update switched off: this electron-updater has no hook for signature checks');
    return false;
  }
  const original = executeDownload.bind(updater);
  const helperOf = getOrCreateDownloadHelper.bind(updater);
  /** The check for the download under way (electron-updater runs one at a time). */
  let check: ((file: string) => Promise<void>) | null = null;
  const patched = new WeakSet<DownloadHelper>();

  updater.executeDownload = async (taskOptions: TaskOptions) => {
    const version = taskOptions.downloadUpdateOptions.updateInfoAndProvider.info.version;
    const fileUrl = taskOptions.fileInfo.url;
    const fileName = path.basename(decodeURIComponent(fileUrl.pathname));
    const signatureText = await fetchSignature(httpExecutor, fileUrl, taskOptions).catch((err: unknown) => {
      throw refuse(version, `it has no signature (${SIGNATURE_SUFFIX} file: ${firstLine(err)})`);
    });
    const mustVerify = async (file: string) => {
      const verdict = await verifyUpdateFile({ file, fileName, version, signatureText, publicKeyPem: opts.publicKeyPem });
      if (!verdict.ok) throw refuse(version, verdict.reason);
      opts.logger.info('update signature verified', { version, file: fileName });
    };
    const helper = await helperOf();
    if (!patched.has(helper)) {
      patched.add(helper);
      const validate = helper.validateDownloadedPath.bind(helper);
      helper.validateDownloadedPath = async (...args) => {
        const cached = await validate(...args);
        if (cached === null || !check) return cached;
        try {
          await check(cached);
          return cached;
        } catch {
          opts.logger.warn('a cached update failed its signature check; downloading it again');
          await helper.clear().catch(() => undefined);
          return null;
        }
      };
    }
    check = mustVerify;
    try {
      return await original({
        ...taskOptions,
        task: async (destinationFile: string, ...rest: unknown[]) => {
          const result = await taskOptions.task(destinationFile, ...rest);
          await mustVerify(destinationFile);
          return result;
        },
      });
    } finally {
      check = null;
    }
  };

  function refuse(version: string, reason: string): UpdateSignatureError {
    const err = new UpdateSignatureError(version, reason);
    opts.logger.error('update refused', { version, reason });
    return err;
  }
  return true;
}

async function fetchSignature(http: NonNullable<SignableUpdater['httpExecutor']>, fileUrl: URL, taskOptions: TaskOptions): Promise<string> {
  const url = new URL(fileUrl.href);
  url.pathname += SIGNATURE_SUFFIX;
  const data = await http.downloadToBuffer(url, {
    headers: taskOptions.downloadUpdateOptions.requestHeaders,
    cancellationToken: taskOptions.downloadUpdateOptions.cancellationToken,
  });
  if (data.length > 4096) throw new Error('too large for a signature');
  return data.toString('utf8');
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/https?:\/\/\S+/g, '[url]').slice(0, 200);
}
