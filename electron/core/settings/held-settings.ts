// settings.json held in memory. A value is read from the file once, then answered from memory (the
// poller and the provider gate ask for settings on every step); a change is written through to the
// file at once; the file is read again only when it changes from outside (a hand edit while running),
// which a watch on its folder notices. Our own writes are told apart by the file's identity (inode,
// size, mtime) after we wrote it, so they cost no read and trigger no reload.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SettingsBackend } from './settings-backend';

/** One key whose value the file changed under us. */
export interface SettingsChange {
  key: string;
  before: unknown;
  after: unknown;
}

export interface HeldSettingsBackend extends SettingsBackend {
  /** Starts watching the file for changes from outside (idempotent). */
  watch(): void;
  /** Reads the file again if it is not the one we last wrote or read; returns what changed (and tells listeners). */
  reloadIfChanged(): SettingsChange[];
  /** Called after memory has taken a change made from outside. */
  onExternalChange(listener: (changes: SettingsChange[]) => void): () => void;
  /** Stops watching. */
  close(): void;
}

export interface HeldSettingsOptions {
  clock: Clock;
  logger: Logger;
  /** Events of one save come in bursts: the file is looked at this long after the last one (default 50 ms). */
  settleMs?: number;
}

/** A JSON copy nobody can change by accident: what memory holds is what the file holds. */
function frozenCopy<T>(value: T): T {
  if (value === undefined) return value;
  const freeze = (v: unknown): unknown => {
    if (v && typeof v === 'object') {
      for (const inner of Object.values(v)) freeze(inner);
      Object.freeze(v);
    }
    return v;
  };
  return freeze(JSON.parse(JSON.stringify(value))) as T;
}

export function holdSettingsInMemory(inner: SettingsBackend, opts: HeldSettingsOptions): HeldSettingsBackend {
  const { clock, logger } = opts;
  const settleMs = opts.settleMs ?? 50;
  const file = inner.path;
  const held = new Map<string, unknown>();
  const listeners = new Set<(changes: SettingsChange[]) => void>();
  let watcher: fs.FSWatcher | null = null;
  let pending: unknown = null;
  let brokenFileWarned = false;

  /** Which file is there now: a rename (atomic save) changes the inode, an edit in place the mtime. */
  const identity = (): string | null => {
    try {
      const s = fs.statSync(file, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch {
      return null;
    }
  };
  /** The identity of the file whose content memory agrees with. */
  let known: string | null = null;

  const read = (key: string): unknown => {
    if (!held.has(key)) {
      if (held.size === 0) known = identity();
      held.set(key, frozenCopy(inner.get(key)));
    }
    return held.get(key);
  };

  function reloadIfChanged(): SettingsChange[] {
    const now = identity();
    if (now === known) return [];
    const changes: SettingsChange[] = [];
    const fresh = new Map<string, unknown>();
    try {
      for (const key of held.keys()) fresh.set(key, frozenCopy(inner.get(key)));
    } catch (err) {
      // Mid-edit or broken by hand: keep what we hold; the next save of the file is looked at again.
      if (!brokenFileWarned) logger.warn('settings.json changed but cannot be read; keeping the settings in memory', { file, err });
      brokenFileWarned = true;
      return [];
    }
    brokenFileWarned = false;
    known = now;
    for (const [key, after] of fresh) {
      const before = held.get(key);
      if (isDeepStrictEqual(before, after)) continue;
      held.set(key, after);
      changes.push({ key, before, after });
    }
    if (changes.length) {
      logger.info('settings.json changed from outside; reloaded', { keys: changes.map((c) => c.key) });
      for (const l of listeners) {
        try {
          l(changes);
        } catch (err) {
          logger.error('settings reload listener failed', { err });
        }
      }
    }
    return changes;
  }

  const written = () => {
    known = identity();
  };

  return {
    get path() {
      return file;
    },
    get: <T>(key: string) => read(key) as T | undefined,
    set(key, value) {
      inner.set(key, value);
      held.set(key, frozenCopy(value));
      written();
    },
    delete(key) {
      inner.delete(key);
      held.set(key, undefined);
      written();
    },
    watch() {
      if (watcher) return;
      const name = path.basename(file);
      try {
        // The folder, not the file: an atomic save replaces the file, and a watch on it would go blind.
        watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, changed) => {
          if (changed !== null && changed.toString() !== name) return;
          if (pending !== null) clock.clearTimeout(pending);
          pending = clock.setTimeout(() => {
            pending = null;
            reloadIfChanged();
          }, settleMs);
        });
        watcher.on('error', (err) => {
          logger.warn('stopped watching settings.json; hand edits apply after a restart', { file, err });
          watcher?.close();
          watcher = null;
        });
      } catch (err) {
        logger.warn('cannot watch settings.json; hand edits apply after a restart', { file, err });
      }
    },
    reloadIfChanged,
    onExternalChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      watcher?.close();
      watcher = null;
      if (pending !== null) clock.clearTimeout(pending);
      pending = null;
    },
  };
}
