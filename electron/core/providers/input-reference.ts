// How a reference image travels. openai: a data URL is uploaded as a file part (multipart); an
// http(s) URL or an upstream file id goes in the JSON body. fal and Replicate take a URL string (http(s)
// or data:) in a model input field; Gemini takes the bytes themselves, base64, with their type.
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

/** The reference as one URL string (http(s) or data:), for a model input field; no upstream file ids. */
export function referenceUrl(ref: InputReference, dialect: string): string {
  const url = typeof ref === 'string' ? ref : ref.imageUrl;
  if (!url) throw bad(`the ${dialect} dialect takes a reference image as an http(s) or data: URL, not a file id`);
  if (/^data:/i.test(url)) {
    decodeDataUrl(url, undefined); // refuse a malformed one here, not upstream
    return url;
  }
  if (/^https?:\/\//i.test(url)) return url;
  throw bad('inputReference must be an http(s) URL or a data: URL');
}

/** The reference's bytes as base64 with their MIME type (Gemini); only a data: URL carries them. */
export function referenceBytes(ref: InputReference, dialect: string): { base64: string; mimeType: string } {
  const url = typeof ref === 'string' ? ref : ref.imageUrl;
  if (!url || !/^data:/i.test(url)) throw bad(`the ${dialect} dialect takes a reference image as its bytes: give a data: URL`);
  const { bytes, type } = decodeDataBytes(url);
  return { base64: bytes.toString('base64'), mimeType: type };
}

function decodeDataBytes(url: string): { bytes: Buffer; type: string } {
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
  return { bytes, type };
}

function decodeDataUrl(url: string, fileName: string | undefined): ReferenceBody {
  const { bytes, type } = decodeDataBytes(url);
  return { kind: 'file', blob: new Blob([new Uint8Array(bytes)], { type }), fileName: fileName || `input_reference.${EXT[type] ?? 'bin'}` };
}

function bad(message: string): UpstreamError {
  return new UpstreamError('BAD_REQUEST', message, { transient: false, reached: 'no' });
}
