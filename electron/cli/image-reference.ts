// `create --image FILE`: the reference image as the contract's inputReference, a data URL (SoraDesk
// uploads it to the provider as a multipart file part), with the file's name.
import fs from 'node:fs';
import path from 'node:path';
import type { InputReference } from '@shared/contract/messages';
import { usageError } from './cli-errors';

/** What the providers take, told by the file's first bytes rather than its name. */
function imageType(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

export function imageReference(file: string): InputReference {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw usageError(`--image ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  const type = imageType(bytes);
  if (!type) throw usageError(`--image ${file} is not a PNG, JPEG or WebP image.`);
  return { imageUrl: `data:${type};base64,${bytes.toString('base64')}`, fileName: path.basename(file) };
}
