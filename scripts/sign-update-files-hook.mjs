// electron-builder's afterAllArtifactBuild hook (electron-builder.yml): signs every artifact it built
// (installers, zips, AppImage, deb; not blockmaps) with scripts/sign-update-files.ts and returns the
// .sig files, which electron-builder then publishes with the rest, before it writes latest*.yml.
// Without a release key: a CI build fails; a local build warns and its update files stay unsigned (an
// installed app refuses them).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function updateFilesIn(artifactPaths) {
  return artifactPaths.filter((p) => !/\.(blockmap|ya?ml|sig)$/i.test(p));
}

export default function afterAllArtifactBuild(buildResult, env = process.env) {
  const files = updateFilesIn(buildResult.artifactPaths);
  if (files.length === 0) return [];
  if (!env.SORADESK_RELEASE_KEY?.trim() && !env.SORADESK_RELEASE_KEY_FILE) {
    if (env.CI) throw new Error('SORADESK_RELEASE_KEY is not set: a release build must sign its update files');
    console.warn('sign-update-files: no release key; these update files are unsigned and an installed app will refuse them');
    return [];
  }
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/sign-update-files.ts'), '--version', version, ...files], {
    cwd: root, env, stdio: 'inherit',
  });
  return files.map((f) => `${f}.sig`);
}
