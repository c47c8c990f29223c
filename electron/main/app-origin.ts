// The renderer's own origin and what it may load. Everything the window shows comes from
// app://soradesk/ (UI files and library media), never file:// or a remote page.
export const APP_SCHEME = 'app';
export const APP_HOST = 'soradesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;
/** Player URLs: `${MEDIA_BASE}${videoId}?variant=video|thumbnail`. */
export const MEDIA_BASE = `${APP_ORIGIN}/media/`;

/**
 * Strict CSP for every response of the app protocol: scripts only from the app, no eval, no plugins,
 * no frames, no network (the renderer talks to the core over IPC). Inline styles stay allowed, as in
 * browser mode, because the UI sets style attributes (virtualised lists); inline scripts do not.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

/**
 * Is this URL the app's own page? `devOrigin` is the electron-vite dev server (development only).
 * Compared as parsed origins, so `app://soradesk.evil/` or `app://soradesk@evil/` never pass.
 */
export function isAppUrl(url: string, devOrigin: string | null = null): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password) return true;
  return devOrigin !== null && parsed.origin === devOrigin;
}

/** A link the user may open in the real browser: https only (no file:, javascript:, custom schemes). */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname.length > 0 && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}
