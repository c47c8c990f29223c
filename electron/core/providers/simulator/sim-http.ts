// What every route of the simulator shares: bounded bodies, JSON answers, and errors in the shape
// each dialect uses for them.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type SimDialect = 'openai' | 'gemini' | 'fal' | 'replicate';

/** JSON bodies (prompts, a reference image as a data URL) stay under this. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** A multipart creation with an uploaded reference image (openai). */
export const MAX_MULTIPART_BYTES = 25 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** The error body as the dialect writes it. */
export function errorBody(dialect: SimDialect | null, e: HttpError): unknown {
  switch (dialect) {
    case 'gemini':
      return { error: { code: e.status, message: e.message, status: e.extra.code ?? googleStatus(e.status) } };
    case 'fal':
      return { detail: e.message };
    case 'replicate':
      return { title: e.extra.type ?? 'Error', detail: e.message, status: e.status };
    default:
      return { error: { message: e.message, type: e.extra.type ?? 'invalid_request_error', param: e.extra.param ?? null, code: e.extra.code ?? null } };
  }
}

function googleStatus(status: number): string {
  return ({ 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED' } as Record<number, string>)[status] ?? 'INTERNAL';
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, 'request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body as a JSON object ({} when empty). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, MAX_JSON_BYTES);
  if (raw.length === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'We could not parse the JSON body of your request.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}
