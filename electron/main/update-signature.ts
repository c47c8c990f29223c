// Detached ed25519 signatures of update files. The release workflow signs (scripts/sign-update-files.ts),
// the updater verifies (./signed-updates.ts). What is signed is a short statement naming the version, the
// file and its SHA-512, so a file is hashed as a stream (an installer is hundreds of MB), and a validly
// signed file cannot be offered as another version or under another name (no replay of an old release).
// The signature file sits beside the update file as `<file>.sig`: the signature in base64, one line.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';

export const SIGNATURE_SUFFIX = '.sig';
const STATEMENT_HEADER = 'soradesk-update-signature-v1';

export async function sha512Hex(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The bytes that are signed: which version, which file (by name) and its content (by SHA-512). */
export function signedStatement(version: string, fileName: string, sha512: string): Buffer {
  return Buffer.from(`${STATEMENT_HEADER}\nversion ${version}\nfile ${fileName}\nsha512 ${sha512}\n`, 'utf8');
}

/** The `.sig` text for `file` as release `version` (the private key in PKCS#8 PEM). */
export async function signUpdateFile(file: string, version: string, privateKeyPem: string): Promise<string> {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the release key must be ed25519, not ${key.asymmetricKeyType}`);
  const statement = signedStatement(version, path.basename(file), await sha512Hex(file));
  return sign(null, statement, key).toString('base64') + '\n';
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Does `signatureText` (a `.sig` file's content) sign `file` as `fileName` of release `version`?
 * Never throws: a malformed signature or key is a refusal with its reason.
 */
export async function verifyUpdateFile(opts: { file: string; fileName: string; version: string; signatureText: string; publicKeyPem: string }): Promise<Verdict> {
  let key: KeyObject;
  try {
    key = createPublicKey(opts.publicKeyPem);
  } catch {
    return { ok: false, reason: 'the embedded release key is unreadable' };
  }
  const text = opts.signatureText.trim();
  const signature = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (signature.length !== 64) return { ok: false, reason: 'the signature file is not an ed25519 signature' };
  const statement = signedStatement(opts.version, opts.fileName, await sha512Hex(opts.file));
  return verify(null, statement, key, signature)
    ? { ok: true }
    : { ok: false, reason: `the signature does not match ${opts.fileName} ${opts.version} and the project's release key` };
}
