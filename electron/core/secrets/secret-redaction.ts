// What an upstream writes in an error is stored, archived, pushed and logged: keys come out first. Known
// keys (every key that passed through the SecretStore, the provider's own included) and anything shaped
// like a key or a token (the dialects' key formats, Authorization values, JWTs, long hex and base64
// secrets) become "[redacted]". Ids and URLs of ordinary length stay readable.
import { redact } from '../log';

export const REDACTED = '[redacted]';

/** Key and token shapes, each matched as a whole word. */
export const KEY_SHAPES: readonly RegExp[] = [
  // Authorization values: "Bearer x", "Basic x", and a header echoed whole ("Authorization: x", "x-goog-api-key: x").
  /(?<=\b(?:Bearer|Basic)\s+)[^\s"',;)]+/gi,
  /(?<=\b(?:Authorization|x-goog-api-key|x-api-key)\s*[:=]\s*(?:(?:Bearer|Basic|Key|Token)\s+)?)(?!(?:Bearer|Basic|Key|Token)\s)[^\s"',;)]+/gi,
  // OpenAI and its relays: sk-..., sk-proj-..., sess-...
  /\b(?:sk|sess|rk|pk)-[A-Za-z0-9_-]{16,}/g,
  // Google API keys (Gemini).
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  // Replicate.
  /\br8_[A-Za-z0-9]{20,}/g,
  // fal: <uuid>:<hex secret>.
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]{16,}\b/gi,
  // JWTs (a relay's session token).
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // key=... in a URL or a form.
  /(?<=[?&](?:key|api_key|apikey|token|access_token)=)[^\s&"']+/gi,
  // A long base64url run with letters of both cases and digits (a secret, not a word or a slug). Slashes
  // end a run, so a URL's path is not taken for one.
  /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{40,}={0,2}/g,
  // A long hex secret (40 or more: longer than the ids upstreams hand out).
  /\b[0-9a-fA-F]{40,}\b/g,
];

/**
 * Text from an upstream with every key taken out: `keys` (the provider's own), every key the service has
 * handled (registered with the log), and every key-shaped word.
 */
export function redactSecrets(text: string, keys: Iterable<string | null | undefined> = []): string {
  let out = text;
  for (const key of keys) if (key && key.length >= 4) out = out.split(key).join(REDACTED);
  out = redact(out) as string;
  // An error is a sentence or two; a page of it is cut (which also bounds the shape scan).
  if (out.length > MAX_TEXT) out = out.slice(0, MAX_TEXT) + '…';
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

const MAX_TEXT = 2000;
