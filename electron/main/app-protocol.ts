// app://soradesk/ serves the built renderer and the library's media, with the CSP on every answer.
// A privileged standard scheme gives the renderer a real origin (not file://), so it gets the same-origin
// rules of a web page and nothing more. The answers come from the core's one static-and-media handler,
// the same one behind `npm run serve`'s HTTP door: same types, ranges, refusals and error statuses.
import { protocol } from 'electron';
import type { MediaSource } from '../core/server/door-types';
import type { Logger } from '../core/log';
import { createStaticAndMediaHandler, type FetchHandler } from '../core/server/static-and-media';
import { APP_CSP, APP_HOST, APP_SCHEME } from './app-origin';

const SECURITY_HEADERS = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** Must run before app 'ready' (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{
    scheme: APP_SCHEME,
    // standard + secure: a real origin with localStorage and secure-context APIs; stream: <video> Range.
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
  }]);
}

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The core's media source; absent: media answers 404. */
  media?: MediaSource;
  logger: Logger;
}

/** The request handler for app://, separate from Electron so it can be exercised with real Requests. */
export function createAppProtocolHandler(opts: AppProtocolOptions): FetchHandler {
  return createStaticAndMediaHandler({
    rendererDir: opts.rendererDir,
    media: opts.media,
    securityHeaders: () => SECURITY_HEADERS,
    // Only the app's own origin is ours; media needs no token there, the origin is the app's alone.
    ownsUrl: (url) => url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST,
    logger: opts.logger,
  });
}

/** After 'ready': routes app:// through the handler. */
export function handleAppProtocol(opts: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(opts));
}
