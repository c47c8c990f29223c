// "Export diagnostics": one zip a user can attach to a bug report. The core calls it for the
// `exportDiagnostics` message (Settings, Help menu); a command line can call it the same way.
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock';
import { diagnosticsEntries, type DiagnosticsSources } from './diagnostics-bundle';
import { writeZipFile } from './zip-file';

export const DIAGNOSTICS_DIR_NAME = 'diagnostics';
/** Older bundles in the default folder beyond this many are removed: each is a snapshot, not a history. */
const KEEP_BUNDLES = 5;

export interface ExportDiagnosticsOptions {
  includePrompts?: boolean;
  /** Default: <dataDir>/diagnostics. */
  outDir?: string;
  now?: Date;
}

export interface ExportedDiagnostics {
  path: string;
  bytes: number;
  files: string[];
}

export async function exportDiagnostics(src: DiagnosticsSources, opts: ExportDiagnosticsOptions = {}): Promise<ExportedDiagnostics> {
  const now = opts.now ?? new Date(systemClock.now());
  const outDir = opts.outDir ?? path.join(src.dataDir, DIAGNOSTICS_DIR_NAME);
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const entries = await diagnosticsEntries(src, { includePrompts: opts.includePrompts ?? false, now });
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  let file = path.join(outDir, `soradesk-diagnostics-${stamp}.zip`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(outDir, `soradesk-diagnostics-${stamp}-${n}.zip`);
  const bytes = await writeZipFile(file, entries, now);
  if (!opts.outDir) pruneOldBundles(outDir);
  return { path: file, bytes, files: entries.map((e) => e.name) };
}

function pruneOldBundles(dir: string): void {
  const bundles = fs.readdirSync(dir)
    .filter((n) => /^soradesk-diagnostics-.*\.zip$/.test(n))
    .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t || b.n.localeCompare(a.n));
  for (const old of bundles.slice(KEEP_BUNDLES)) fs.rmSync(path.join(dir, old.n), { force: true });
}
