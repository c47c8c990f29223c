// The installers are built elsewhere (electron-builder downloads Electron), so what can be checked here is
// the configuration they are built from: valid for electron-builder 26, the fuses on, and everything the
// packaged main process loads at run time actually packed.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
interface BuilderConfig { asar: boolean; electronFuses: Record<string, boolean>; files: string[]; asarUnpack: string[]; deb: { depends: string[] } }
const config = parse(read('electron-builder.yml')) as BuilderConfig;
const pkg = JSON.parse(read('package.json')) as { main: string; dependencies: Record<string, string> };

describe('electron-builder configuration', () => {
  it('is valid against electron-builder 26 own schema', () => {
    const schema = JSON.parse(read('node_modules/app-builder-lib/scheme.json'));
    const validate = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true }).compile(schema);
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it('sets the fuses: no run-as-node, NODE_OPTIONS or --inspect; only the integrity-checked app.asar', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      // An unsigned Apple Silicon build must still launch after the fuses are flipped.
      resetAdHocDarwinSignature: true,
    });
  });

  it('keeps electron-builder default deb dependencies (a custom list replaces them) and adds the keyring', async () => {
    type Fpm = { prototype: { getDefaultDepends(target: string): string[] } };
    // CommonJS `exports.default = FpmTarget` (its default list does not depend on the instance).
    const mod = await import('app-builder-lib/out/targets/FpmTarget.js' as string) as { default: Fpm };
    const defaults = mod.default.prototype.getDefaultDepends('deb');
    expect(defaults.length).toBeGreaterThan(0);
    expect(config.deb.depends).toEqual(expect.arrayContaining([...defaults, 'libsecret-1-0']));
  });

  it('packs the built app and the demo media, and unpacks the native keychain binding', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**', 'package.json']));
    expect(pkg.main.replace(/^\.\//, '')).toMatch(/^out\//);
    expect(config.asarUnpack.some((p) => p.includes('@napi-rs/keyring'))).toBe(true);
  });
});

/**
 * Bare module names imported (not type-only) by the code the main bundle is built from: the import
 * graph from electron/main/index.ts, so test helpers beside the code do not count.
 */
function runtimeImports(): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const importRe = /^\s*import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]|^\s*export\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm;
  const resolveLocal = (from: string, spec: string): string | null => {
    // `@shared/...` is the alias for the project's own shared/ folder (tsconfig.base.json paths).
    const base = spec.startsWith('@shared/') ? path.join(root, spec.slice(1)) : path.resolve(path.dirname(from), spec);
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return null;
  };
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('.') || spec.startsWith('@shared/')) {
        const local = resolveLocal(file, spec);
        if (local) visit(local);
        continue;
      }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!found.has(name)) found.set(name, path.relative(root, file));
    }
  };
  visit(path.join(root, 'electron/main/index.ts'));
  return found;
}

describe('package.json for packaging', () => {
  it('lists every package the main process imports at run time under "dependencies" (devDependencies are not packed)', () => {
    const missing = [...runtimeImports()]
      .filter(([name]) => !name.startsWith('node:') && name !== 'electron' && !(name in pkg.dependencies))
      .map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});
