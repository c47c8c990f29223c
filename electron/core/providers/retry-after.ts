// Retry-After comes as delta-seconds or as an HTTP-date (RFC 9110 §10.2.3).
/** Milliseconds to wait, capped at `capMs`; null when the header is absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number, capMs: number): number | null {
  if (header == null) return null;
  const value = header.trim();
  if (value === '') return null;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number.parseFloat(value) * 1000;
  } else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.round(Math.min(Math.max(ms, 0), capMs));
}
