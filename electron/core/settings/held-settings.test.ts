// settings.json held in memory over the real conf backend and the real file system: reads counted at
// fs.readFileSync, hand edits made with fs.writeFileSync (and by an editor-style rename) while it runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock';
import { createLogger, silentLogger } from '../log';
import { until } from '../tasks/test-support/service-harness';
import { createConfBackend } from './conf-backend';
import { holdSettingsInMemory, type HeldSettingsBackend, type SettingsChange } from './held-settings';
import { SettingsService } from './settings-service';

const dirs: string[] = [];
const held: HeldSettingsBackend[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const h of held.splice(0)) h.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(opts: { lines?: string[] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-held-'));
  dirs.push(dir);
  const logger = opts.lines ? createLogger({ write: (l) => opts.lines!.push(l) }) : silentLogger;
  const backend = holdSettingsInMemory(createConfBackend({ cwd: dir }), { clock: systemClock, logger, settleMs: 20 });
  held.push(backend);
  const changes: SettingsChange[][] = [];
  backend.onExternalChange((c) => changes.push(c));
  return { dir, file: path.join(dir, 'settings.json'), backend, changes };
}

/** Real reads of one file, counted where conf makes them. */
function countReads(file: string): () => number {
  let reads = 0;
  const real = fs.readFileSync;
  vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
    if (typeof p === 'string' && path.resolve(p) === file) reads++;
    return (real as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(p, o);
  }) as typeof fs.readFileSync);
  return () => reads;
}

/** Rewrites the file as another program would: the whole JSON, by rename (an editor's safe save). */
function editByHand(file: string, change: (doc: Record<string, unknown>) => void): void {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(doc);
  fs.writeFileSync(`${file}.editor-tmp`, JSON.stringify(doc, null, 2));
  fs.renameSync(`${file}.editor-tmp`, file);
}

describe('settings held in memory', () => {
  it('reads the file once per key, then answers from memory, and writes through at once', () => {
    const { dir, file, backend } = open();
    backend.set('settings', { pollIntervalMs: 2000 });
    const fresh = holdSettingsInMemory(createConfBackend({ cwd: dir }), { clock: systemClock, logger: silentLogger });
    held.push(fresh);
    const reads = countReads(file);
    for (let i = 0; i < 1000; i++) fresh.get('settings');
    expect(reads()).toBe(1);
    fresh.set('settings', { pollIntervalMs: 3000 });
    // On disk at once: another reader sees it.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ settings: { pollIntervalMs: 3000 } });
    expect(fresh.get('settings')).toEqual({ pollIntervalMs: 3000 });
  });

  it('hands out values nobody can change by accident', () => {
    const { backend } = open();
    backend.set('providers', [{ id: 'a' }]);
    const list = backend.get<{ id: string }[]>('providers')!;
    expect(() => { list[0].id = 'b'; }).toThrow(TypeError);
    expect(backend.get('providers')).toEqual([{ id: 'a' }]);
  });

  it('picks up a hand edit while running and tells listeners what changed', async () => {
    const { file, backend, changes } = open();
    backend.set('settings', { pollIntervalMs: 2000, language: 'en' });
    backend.set('providers', []);
    backend.watch();
    editByHand(file, (doc) => { (doc.settings as Record<string, unknown>).language = 'zh-CN'; });
    await until(() => changes.length > 0, 'the hand edit is noticed');
    expect(changes).toEqual([[{ key: 'settings', before: { pollIntervalMs: 2000, language: 'en' }, after: { pollIntervalMs: 2000, language: 'zh-CN' } }]]);
    expect(backend.get('settings')).toEqual({ pollIntervalMs: 2000, language: 'zh-CN' });
    // An edit in place (same file, new content) counts too.
    fs.writeFileSync(file, JSON.stringify({ settings: { pollIntervalMs: 5000 }, providers: [] }));
    await until(() => changes.length > 1, 'the in-place edit is noticed');
    expect(backend.get('settings')).toEqual({ pollIntervalMs: 5000 });
  });

  it('does not reload after its own writes: no read, no listener call, no loop', async () => {
    const { file, backend, changes } = open();
    backend.get('settings');
    backend.watch();
    const reads = countReads(file);
    for (let i = 0; i < 20; i++) backend.set('settings', { pollIntervalMs: 1000 + i });
    // A hand edit after them is a barrier: once it is seen, every event of our writes was handled before it.
    editByHand(file, (doc) => { doc.marker = true; (doc.settings as Record<string, unknown>).pollIntervalMs = 9999; });
    await until(() => changes.length > 0, 'the hand edit after our writes is noticed');
    expect(changes).toHaveLength(1);
    expect(changes[0].map((c) => c.key)).toEqual(['settings']);
    // conf reads the file in each of its writes (2 per set); the watcher added one read, for the hand edit.
    expect(reads()).toBe(20 * 2 + 1 + 1);
  });

  it('keeps the settings in memory while the file is broken by hand, and takes the repaired file', async () => {
    const lines: string[] = [];
    const { file, backend, changes } = open({ lines });
    backend.set('settings', { pollIntervalMs: 2000 });
    backend.watch();
    fs.writeFileSync(file, '{"settings": {"pollIntervalMs": 30');
    await until(() => lines.some((l) => l.includes('cannot be read')), 'the broken file is reported');
    expect(backend.get('settings')).toEqual({ pollIntervalMs: 2000 });
    fs.writeFileSync(file, '{"settings": {"pollIntervalMs": 3000}}');
    await until(() => changes.length > 0, 'the repaired file is taken');
    expect(backend.get('settings')).toEqual({ pollIntervalMs: 3000 });
  });

  it('a hand edit reaches SettingsService listeners as a change, with the settings before it', async () => {
    const { file, backend } = open();
    const service = new SettingsService(backend);
    backend.onExternalChange((c) => service.reloaded(c));
    service.update({ pollIntervalMs: 2000 });
    backend.watch();
    const seen: [number, number][] = [];
    service.onChange((next, previous) => seen.push([next.pollIntervalMs, previous.pollIntervalMs]));
    editByHand(file, (doc) => { (doc.settings as Record<string, unknown>).pollIntervalMs = 4000; });
    await until(() => seen.length > 0, 'listeners hear of the hand edit');
    expect(seen).toEqual([[4000, 2000]]);
    expect(service.get().pollIntervalMs).toBe(4000);
    // A hand edit that changes nothing the settings show (an unknown key) is no change to announce.
    editByHand(file, (doc) => { (doc.settings as Record<string, unknown>).futureSetting = 1; });
    await until(() => (backend.get<Record<string, unknown>>('settings')?.futureSetting) === 1, 'the edit is taken');
    expect(seen).toHaveLength(1);
  });
});
