// The release side of signed updates: scripts/sign-update-files.ts (run as the release workflow runs it,
// a real process) and the electron-builder hook that calls it. Keys are made here; the signature it
// writes must verify as the app verifies it.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { verifyUpdateFile } from './update-signature';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const keys = generateKeyPairSync('ed25519');
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-sign-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function artifact(name: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, randomBytes(50_000));
  return f;
}

async function sign(env: Record<string, string | undefined>, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/sign-update-files.ts', ...args], {
    cwd: root, env: { PATH: process.env.PATH, ...env },
  }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
}

describe('scripts/sign-update-files.ts', () => {
  it('writes a .sig per file that the app accepts for that file and version only', async () => {
    const exe = artifact('SoraDesk-Setup-1.2.0-x64.exe');
    const zip = artifact('SoraDesk-1.2.0-arm64-mac.zip');
    const out = await sign({ SORADESK_RELEASE_KEY: privatePem, SORADESK_RELEASE_PUBLIC_KEY: publicPem }, '--version', '1.2.0', exe, zip);
    expect(out.code, out.stderr).toBe(0);
    for (const f of [exe, zip]) {
      const signatureText = fs.readFileSync(`${f}.sig`, 'utf8');
      expect(await verifyUpdateFile({ file: f, fileName: path.basename(f), version: '1.2.0', signatureText, publicKeyPem: publicPem })).toEqual({ ok: true });
      expect((await verifyUpdateFile({ file: f, fileName: path.basename(f), version: '1.2.1', signatureText, publicKeyPem: publicPem })).ok).toBe(false);
    }
    const exeSig = fs.readFileSync(`${exe}.sig`, 'utf8');
    expect((await verifyUpdateFile({ file: zip, fileName: path.basename(exe), version: '1.2.0', signatureText: exeSig, publicKeyPem: publicPem })).ok).toBe(false);
  });

  it('fails without a release key, and writes nothing', async () => {
    const exe = artifact('SoraDesk-Setup-1.2.0-x64.exe');
    const out = await sign({}, '--version', '1.2.0', exe);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/no release key/);
    expect(fs.existsSync(`${exe}.sig`)).toBe(false);
  });

  it('fails when the key is not the one whose public half the app embeds', async () => {
    const exe = artifact('SoraDesk-Setup-1.2.0-x64.exe');
    const out = await sign({ SORADESK_RELEASE_KEY: privatePem }, '--version', '1.2.0', exe);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/does not match.*update-public-key\.ts/);
    expect(fs.existsSync(`${exe}.sig`)).toBe(false);
  });
});

describe('the electron-builder hook', () => {
  it('is electron-builder\'s afterAllArtifactBuild, and the release workflow gives it the key and refuses to build without it', () => {
    const builder = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { afterAllArtifactBuild: string };
    expect(builder.afterAllArtifactBuild).toBe('./scripts/sign-update-files-hook.mjs');
    const workflow = fs.readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8');
    expect(workflow).toContain('SORADESK_RELEASE_KEY: ${{ secrets.SORADESK_RELEASE_KEY }}');
    expect(workflow).toMatch(/if \[ -z "\$SORADESK_RELEASE_KEY" \]; then .*exit 1/);
  });

  it('signs every update file it built (not blockmaps) and hands the .sig files to the publisher', async () => {
    const { default: hook } = await import('../../scripts/sign-update-files-hook.mjs');
    const exe = artifact('SoraDesk-Setup-1.2.0-x64.exe');
    const blockmap = artifact('SoraDesk-Setup-1.2.0-x64.exe.blockmap');
    const extra = hook({ artifactPaths: [exe, blockmap] }, { PATH: process.env.PATH, SORADESK_RELEASE_KEY: privatePem, SORADESK_RELEASE_PUBLIC_KEY: publicPem });
    expect(extra).toEqual([`${exe}.sig`]);
    expect(fs.existsSync(`${blockmap}.sig`)).toBe(false);
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await verifyUpdateFile({ file: exe, fileName: path.basename(exe), version, signatureText: fs.readFileSync(`${exe}.sig`, 'utf8'), publicKeyPem: publicPem })).toEqual({ ok: true });
  });

  it('without a key: a CI build fails, a local build signs nothing and says so', async () => {
    const { default: hook } = await import('../../scripts/sign-update-files-hook.mjs');
    const exe = artifact('SoraDesk-Setup-1.2.0-x64.exe');
    expect(() => hook({ artifactPaths: [exe] }, { CI: 'true' })).toThrow(/SORADESK_RELEASE_KEY is not set/);
    expect(hook({ artifactPaths: [exe] }, {})).toEqual([]);
  });
});
