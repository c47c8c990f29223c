// Signs release update files with the project's release key, and checks the result against the public
// key the app embeds (a secret that is not the project's key would make every installed app refuse the
// update, so the build fails instead). Used by the electron-builder hook (sign-update-files-hook.mjs) in
// the release workflow; by hand:
//   SORADESK_RELEASE_KEY="$(cat release-key.pem)" node --import tsx scripts/sign-update-files.ts --version 1.2.0 dist/SoraDesk-Setup-1.2.0-x64.exe
// Writes `<file>.sig` beside each file. The key: SORADESK_RELEASE_KEY (PKCS#8 PEM text) or
// SORADESK_RELEASE_KEY_FILE (a path). Exit 1 without a key or when a signature does not check out.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UPDATE_PUBLIC_KEY_PEM } from '../electron/main/update-public-key';
import { SIGNATURE_SUFFIX, signUpdateFile, verifyUpdateFile } from '../electron/main/update-signature';

function releaseKey(): string | null {
  if (process.env.SORADESK_RELEASE_KEY?.trim()) return process.env.SORADESK_RELEASE_KEY;
  if (process.env.SORADESK_RELEASE_KEY_FILE) return readFileSync(process.env.SORADESK_RELEASE_KEY_FILE, 'utf8');
  return null;
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--version');
  const version = at >= 0 ? argv[at + 1] : (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const files = at >= 0 ? argv.filter((_a, i) => i !== at && i !== at + 1) : argv;
  if (files.length === 0) {
    console.error('usage: sign-update-files.ts [--version V] FILE...');
    return 2;
  }
  const key = releaseKey();
  if (!key) {
    console.error('sign-update-files: no release key (set SORADESK_RELEASE_KEY or SORADESK_RELEASE_KEY_FILE); update files must be signed');
    return 1;
  }
  const publicKeyPem = process.env.SORADESK_RELEASE_PUBLIC_KEY ?? UPDATE_PUBLIC_KEY_PEM;
  for (const file of files) {
    const signatureText = await signUpdateFile(file, version, key);
    const verdict = await verifyUpdateFile({ file, fileName: path.basename(file), version, signatureText, publicKeyPem });
    if (!verdict.ok) {
      console.error(`sign-update-files: ${path.basename(file)}: ${verdict.reason}; is the release key the one whose public half the app embeds (electron/main/update-public-key.ts)?`);
      return 1;
    }
    writeFileSync(file + SIGNATURE_SUFFIX, signatureText);
    console.log(`signed ${path.basename(file)} ${version}`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  console.error(`sign-update-files: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
