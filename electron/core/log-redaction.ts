// What never reaches a log line, a diagnostics bundle or an error reply: API keys (every value that
// passed through a SecretStore), Authorization/Bearer values, tokens, passwords.
const SECRET_KEYS = /^(api[-_]?key|authorization|token|password|secret)$/i;

/** Values registered here (API keys as they pass through) are masked in every log line. */
const knownSecrets = new Set<string>();
export function registerSecret(value: string): void {
  if (value.length >= 4) knownSecrets.add(value);
}

export function redact(value: unknown): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out.replace(/\b(Bearer\s+)[^\s"']+/gi, '$1[redacted]');
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v);
    return out;
  }
  return value;
}
