import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/contract/errors';
import { DEFAULT_SETTINGS, languageForLocale, type Settings } from '@shared/contract/settings';
import { createLogger } from '../log';
import { createConfBackend } from './conf-backend';
import { SETTINGS_KEY, SettingsService } from './settings-service';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-settings-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function appError(fn: () => unknown): AppError {
  try { fn(); } catch (err) { if (err instanceof AppError) return err; throw err; }
  throw new Error('expected an AppError');
}

describe('SettingsService', () => {
  it('starts from the defaults', () => {
    expect(new SettingsService(createConfBackend({ cwd: tempDir() })).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('takes its default language from the OS locale until the user picks one', () => {
    const dir = tempDir();
    const zh = new SettingsService(createConfBackend({ cwd: dir }), undefined, { language: languageForLocale('zh_CN.UTF-8') });
    expect(zh.get().language).toBe('zh-CN');
    zh.update({ language: 'en' });
    expect(new SettingsService(createConfBackend({ cwd: dir }), undefined, { language: 'zh-CN' }).get().language).toBe('en');
    expect(languageForLocale('zh-Hans-CN')).toBe('zh-CN');
    expect(languageForLocale('en-GB')).toBe('en');
    expect(languageForLocale(undefined)).toBe('en');
  });

  it('persists an update across re-creation and returns the new settings', () => {
    const dir = tempDir();
    const next = new SettingsService(createConfBackend({ cwd: dir })).update({ pollIntervalMs: 2500, language: 'zh-CN', libraryDir: '/videos' });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, pollIntervalMs: 2500, language: 'zh-CN', libraryDir: '/videos' });
    expect(new SettingsService(createConfBackend({ cwd: dir })).get()).toEqual(next);
  });

  it('rejects an invalid patch with a clear BAD_REQUEST and changes nothing', () => {
    const dir = tempDir();
    const service = new SettingsService(createConfBackend({ cwd: dir }));
    service.update({ language: 'zh-CN' });
    const fileBefore = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');

    const tooFast = appError(() => service.update({ pollIntervalMs: 100, language: 'en' }));
    expect(tooFast.code).toBe('BAD_REQUEST');
    expect(tooFast.message).toMatch(/pollIntervalMs/);
    const unknown = appError(() => service.update({ colour: 'blue' }));
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.message).toMatch(/colour/);

    expect(service.get().language).toBe('zh-CN');
    expect(service.get().pollIntervalMs).toBe(DEFAULT_SETTINGS.pollIntervalMs);
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(fileBefore);
  });

  it('falls back to the default for a bad hand-edited value, warns once, and keeps the good ones', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
      [SETTINGS_KEY]: { pollIntervalMs: 'fast', language: 'zh-CN', autoDownload: false, trackingTimeoutMs: 5, futureSetting: 7 },
    }));
    const lines: string[] = [];
    const service = new SettingsService(createConfBackend({ cwd: dir }), createLogger({ write: (l) => lines.push(l) }));

    const settings = service.get();
    service.get();
    expect(settings.pollIntervalMs).toBe(DEFAULT_SETTINGS.pollIntervalMs);
    expect(settings.trackingTimeoutMs).toBe(DEFAULT_SETTINGS.trackingTimeoutMs);
    expect(settings.language).toBe('zh-CN');
    expect(settings.autoDownload).toBe(false);
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.field).sort()).toEqual(['pollIntervalMs', 'trackingTimeoutMs']);

    // Writing repairs the bad values and keeps a key this version does not know.
    service.update({ autoDownload: true });
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))[SETTINGS_KEY];
    expect(onDisk).toMatchObject({ pollIntervalMs: DEFAULT_SETTINGS.pollIntervalMs, autoDownload: true, futureSetting: 7 });
  });

  it('tells listeners what changed, and stops when unsubscribed', () => {
    const service = new SettingsService(createConfBackend({ cwd: tempDir() }));
    const seen: [Settings, Settings][] = [];
    const off = service.onChange((next, prev) => seen.push([next, prev]));
    service.update({ autoDownload: false });
    off();
    service.update({ autoDownload: true });
    expect(seen).toHaveLength(1);
    expect(seen[0][0].autoDownload).toBe(false);
    expect(seen[0][1].autoDownload).toBe(true);
  });

  it('accepts only an existing provider as the default, and remembers it was chosen by hand', () => {
    const service = new SettingsService(createConfBackend({ cwd: tempDir() }));
    service.useProviderLookup((id) => id === 'demo' || id === 'mine');
    const missing = appError(() => service.update({ defaultProviderId: 'nope' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/nope/);
    expect(service.get().defaultProviderId).toBe('demo');

    expect(service.update({ defaultProviderId: 'mine' })).toMatchObject({ defaultProviderId: 'mine', defaultProviderChosen: true });
  });

  it('takes back the settings object it gave: defaultProviderChosen is read-only, accepted and ignored', () => {
    const service = new SettingsService(createConfBackend({ cwd: tempDir() }));
    const { defaultProviderId: _id, ...echoed } = { ...service.get(), pollIntervalMs: 5000, defaultProviderChosen: true };
    expect(service.update(echoed)).toMatchObject({ pollIntervalMs: 5000, defaultProviderChosen: false });
    expect(appError(() => service.update({ ...service.get(), colour: 'red' })).code).toBe('BAD_REQUEST');
  });
});
