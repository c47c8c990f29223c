// How a reference image travels in the openai dialect: a data URL is uploaded as a file part
// (multipart); an http(s) URL or an upstream file id goes in the JSON body.
import type { InputReference } from '@shared/contract/messages';
import { UpstreamError, type CreateJobInput } from './provider-client';

/** The creation fields both dialects send as they are; `seconds` always as a string. */
export function createFields(input: CreateJobInput): Record<string, string> {
  const fields: Record<string, string> = { prompt: input.prompt };
  if (input.model) fields.model = input.model;
  if (input.seconds) fields.seconds = String(input.seconds);
  if (input.size) fields.size = input.size;
  return fields;
}

export type ReferenceBody =
  | { kind: 'file'; blob: Blob; fileName: string }
  | { kind: 'json'; json: { image_url: string } | { file_id: string } };

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

export function referenceBody(ref: InputReference): ReferenceBody {
  const { url, fileId, fileName } = typeof ref === 'string' ? { url: ref, fileId: undefined, fileName: undefined } : { url: ref.imageUrl, fileId: ref.fileId, fileName: ref.fileName };
  if (fileId) return { kind: 'json', json: { file_id: fileId } };
  if (url && /^data:/i.test(url)) return decodeDataUrl(url, fileName);
  if (url && /^https?:\/\//i.test(url)) return { kind: 'json', json: { image_url: url } };
  throw bad('inputReference must be an http(s) URL, a data: URL or a file id');
}

function decodeDataUrl(url: string, fileName: string | undefined): ReferenceBody {
  const m = /^data:([^,;]*)((?:;[^,;]*)*),(.*)$/is.exec(url);
  if (!m) throw bad('inputReference is not a valid data: URL');
  const type = (m[1] || 'application/octet-stream').toLowerCase();
  const isBase64 = /;base64/i.test(m[2]);
  let bytes: Buffer;
  try {
    bytes = isBase64 ? Buffer.from(m[3], 'base64') : Buffer.from(decodeURIComponent(m[3]), 'utf8');
  } catch {
    throw bad('inputReference data: URL cannot be decoded');
  }
  if (bytes.length === 0) throw bad('inputReference data: URL is empty');
  return { kind: 'file', blob: new Blob([new Uint8Array(bytes)], { type }), fileName: fileName || `input_reference.${EXT[type] ?? 'bin'}` };
}

function bad(message: string): UpstreamError {
  return new UpstreamError('BAD_REQUEST', message, { transient: false, reached: 'no' });
}
