import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { createConfBackend, SETTINGS_FILE_NAME, SETTINGS_STORE_OPTIONS } from './conf-backend';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-conf-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('createConfBackend', () => {
  it('writes settings.json in the data dir and reads it back after re-creation', () => {
    const dir = tempDir();
    const backend = createConfBackend({ cwd: dir });
    expect(backend.path).toBe(path.join(dir, SETTINGS_FILE_NAME));
    backend.set('settings', { language: 'zh-CN' });
    backend.set('providers', [{ id: 'a.b' }]);

    const again = createConfBackend({ cwd: dir });
    expect(again.get('settings')).toEqual({ language: 'zh-CN' });
    // A dotted id stays a plain key, not a nested path.
    expect(again.get('providers')).toEqual([{ id: 'a.b' }]);
    again.delete('providers');
    expect(createConfBackend({ cwd: dir }).get('providers')).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(backend.path, 'utf8'))).toEqual({ settings: { language: 'zh-CN' } });
  });

  it('creates a data dir that does not exist yet and keeps the file private to the user', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const backend = createConfBackend({ cwd: dir });
    backend.set('x', 1);
    expect(fs.statSync(backend.path).mode & 0o077).toBe(0);
  });

  it('moves an unreadable file aside with a warning instead of crashing or overwriting it', () => {
    const dir = tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    fs.writeFileSync(file, '{"settings": {"language": "en"');
    const lines: string[] = [];
    const backend = createConfBackend({ cwd: dir, logger: createLogger({ write: (l) => lines.push(l) }) });

    expect(backend.get('settings')).toBeUndefined();
    backend.set('settings', { language: 'en' });
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith(`${SETTINGS_FILE_NAME}.unreadable-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]), 'utf8')).toBe('{"settings": {"language": "en"');
    expect(lines.some((l) => JSON.parse(l).level === 'warn' && l.includes('moved aside'))).toBe(true);
  });

  it('shares one set of options that electron-store would map to the same file name', () => {
    // electron-store takes `name` and overwrites `configName` with it: both must agree.
    expect(SETTINGS_STORE_OPTIONS.name).toBe(SETTINGS_STORE_OPTIONS.configName);
    expect(SETTINGS_FILE_NAME).toBe('settings.json');
  });
});
