// Secrets, after the whole run: no key the suite gave a provider is in any file under the run's root:
// the data dirs (tasks, archive, settings, library), the logs, every reply and push the clients recorded.
// Runs last (the suite's sequencer goes by file name).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordFigure, ROOT, usedKeys } from './support/run-root';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !['keys.txt', 'figures.jsonl', 'figures.md'].includes(path.basename(f)));
}

describe('secrets after the whole run', () => {
  it('no key in any file under the data dirs, any log, any recorded reply or push', () => {
    const keys = usedKeys();
    const files = filesUnder(ROOT);
    const hits: string[] = [];
    let bytes = 0;
    const kinds = { data: 0, logs: 0, frames: 0 };
    for (const f of files) {
      const text = fs.readFileSync(f).toString('latin1');
      bytes += text.length;
      const rel = path.relative(ROOT, f);
      if (rel.startsWith('logs') || rel.includes(`${path.sep}logs${path.sep}`)) kinds.logs++;
      else if (rel.startsWith('frames')) kinds.frames++;
      else kinds.data++;
      for (const key of keys) if (text.includes(key)) hits.push(`${rel} holds ${key.slice(0, 18)}…`);
    }
    recordFigure({
      case: 'secrets after the whole run',
      done: `searched ${files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MB: ${kinds.data} under data dirs, ${kinds.logs} logs, ${kinds.frames} recordings of replies and pushes) for the ${keys.length} keys the run gave providers (one also echoed by the upstream in job errors)`,
      expected: 'no key anywhere',
      figure: `${hits.length} files hold a key${hits.length ? `: ${hits.slice(0, 5).join('; ')}` : ''}`,
      ok: hits.length === 0 && keys.length > 0,
    });
    expect(keys.length).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
