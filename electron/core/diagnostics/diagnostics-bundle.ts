// What goes into a diagnostics bundle, file by file. Never a key or a token: settings hold none,
// providers are listed without key hints, task links (signed URLs) are left out, and every log line is
// redacted again on the way in. Prompts (and the file names made from them) only when the user asks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerPayload } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { Settings } from '@shared/contract/settings';
import type { TaskStats, TaskView } from '@shared/contract/task';
import { redact } from '../log';
import { listLogFiles } from '../log-file';
import type { ZipEntry } from './zip-file';

export interface DiagnosticsSources {
  dataDir: string;
  logDir: string;
  app: { version: string; mode: 'desktop' | 'serve' | 'cli' };
  settings(): Settings;
  providers(): ProviderView[];
  stats(): TaskStats;
  /** Newest first. */
  recentTasks(limit: number): TaskView[];
  secretStore: { kind: 'keychain' | 'memory' };
  notices(): ServerPayload<'notice'>[];
  /** Values that must not appear even where no rule would catch them (this launch's token). */
  secretValues(): string[];
  /** Electron's crash dumps folder: listed by name and size, never copied (a dump holds memory). */
  crashDumpsDir?: string;
}

export interface BundleOptions {
  includePrompts: boolean;
  now: Date;
}

const RECENT_TASKS = 200;
/** The newest log lines up to this size go in; older ones are left out. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;
/** A JWT (the per-launch token) and `token=` in a URL, wherever they turn up in a log line. */
const TOKEN_PATTERNS: Array<[RegExp, string]> = [
  [/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g, '[redacted-token]'],
  [/([?#&]token=)[^&\s"']+/gi, '$1[redacted]'],
];

function scrubText(text: string, secrets: string[]): string {
  let out = redact(text) as string;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  for (const [re, to] of TOKEN_PATTERNS) out = out.replace(re, to);
  return out;
}

/** A field named like a secret, as JSON writes it: its value goes (the logger did so already; belt and braces). */
const SECRET_FIELD = /"(api[-_]?key|authorization|token|password|secret)":"(?:[^"\\]|\\.)*"/gi;
/** Fields that may hold a prompt: the prompt, and file names, which start with the prompt's words. */
const PROMPT_FIELD = /"(prompt|file|localPath)":"(?:[^"\\]|\\.)*"/g;
/** Lines per slice of work: the service keeps answering between slices. */
const LINES_PER_SLICE = 500;

/**
 * One log line, re-redacted as text (known secrets, Bearer values, tokens, secret-named fields) and,
 * when prompts stay out, without fields that may hold one. Text rules, not a parse: a bundle holds tens
 * of thousands of lines (a JSON string value cannot contain an unescaped `"key":"`, so they only match
 * real fields).
 */
export function scrubLogLine(line: string, opts: { includePrompts: boolean; secrets: string[] }): string {
  let out = line.replace(SECRET_FIELD, '"$1":"[redacted]"');
  if (!opts.includePrompts) out = out.replace(PROMPT_FIELD, '"$1":"[prompt left out]"');
  return scrubText(out, opts.secrets);
}

async function logEntries(logDir: string, opts: { includePrompts: boolean; secrets: string[] }): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  let budget = MAX_LOG_BYTES;
  for (const file of listLogFiles(logDir)) {
    if (budget <= 0) break;
    let text = await fs.promises.readFile(file, 'utf8');
    // Over budget: keep the newest lines of this file only.
    if (Buffer.byteLength(text) > budget) text = text.slice(text.indexOf('\n', text.length - budget) + 1);
    budget -= Buffer.byteLength(text);
    const lines = text.split('\n').filter(Boolean);
    const scrubbed: string[] = [];
    for (let i = 0; i < lines.length; i += LINES_PER_SLICE) {
      for (const l of lines.slice(i, i + LINES_PER_SLICE)) scrubbed.push(scrubLogLine(l, opts));
      await new Promise((r) => setImmediate(r));
    }
    entries.push({ name: `logs/${path.basename(file)}`, data: scrubbed.join('\n') + '\n' });
  }
  return entries;
}

function filesIn(dir: string, match: (name: string) => boolean = () => true): Array<{ name: string; bytes: number; modified: string }> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && match(e.name))
    .map((e) => {
      const st = fs.statSync(path.join(dir, e.name));
      return { name: e.name, bytes: st.size, modified: st.mtime.toISOString() };
    });
}

function systemInfo(src: DiagnosticsSources, now: Date) {
  const cpus = os.cpus();
  return {
    createdAt: now.toISOString(),
    app: src.app,
    versions: process.versions,
    os: {
      platform: process.platform, arch: process.arch, type: os.type(), release: os.release(), version: os.version(),
      cpus: cpus.length, cpuModel: cpus[0]?.model ?? null, memoryBytes: os.totalmem(), freeMemoryBytes: os.freemem(), uptimeSeconds: Math.round(os.uptime()),
    },
    locale: Intl.DateTimeFormat().resolvedOptions().locale,
    dataDir: src.dataDir,
    logDir: src.logDir,
    secretStore: src.secretStore.kind,
    noticesAtStart: src.notices(),
    crashDumps: src.crashDumpsDir ? filesIn(src.crashDumpsDir).concat(filesIn(path.join(src.crashDumpsDir, 'completed'))) : null,
  };
}

function taskSummary(t: TaskView, includePrompts: boolean) {
  return {
    videoId: t.videoId, externalId: t.externalId, providerId: t.providerId, status: t.status, progress: t.progress,
    model: t.model, seconds: t.seconds, size: t.size, error: t.error, errorCode: t.errorCode,
    createdAt: t.createdAt, updatedAt: t.updatedAt, completedAt: t.completedAt, expiresAt: t.expiresAt, remixOf: t.remixOf,
    keptInLibrary: t.localPath !== null,
    ...(includePrompts ? { prompt: t.prompt, localPath: t.localPath } : {}),
  };
}

const README = (includePrompts: boolean) => `SoraDesk diagnostics
====================
system.json     app and runtime versions, operating system, data folder, start-up notices, crash dump names
settings.json   the app's settings (they never hold an API key)
providers.json  provider ids, names, dialects and API origins; whether a key is set (never the key)
store.json      task counts by status and the database files' sizes
tasks.json      the ${RECENT_TASKS} newest tasks: status, errors, times${includePrompts ? ', prompts and file paths' : ' (no prompts)'}; no download links
logs/           the newest log files, redacted again on export${includePrompts ? '' : '; fields that may hold a prompt are left out'}
No API key, no token and no video is in this bundle. Crash dumps are listed, not included.
`;

export async function diagnosticsEntries(src: DiagnosticsSources, opts: BundleOptions): Promise<ZipEntry[]> {
  const now = opts.now;
  const secrets = src.secretValues();
  const json = (name: string, value: unknown): ZipEntry => ({ name, data: scrubText(JSON.stringify(value, null, 2), secrets) + '\n' });
  const providers = src.providers().map((p) => ({
    id: p.id, name: p.name, dialect: p.dialect, origin: safeOrigin(p.baseUrl), hasApiKey: p.hasApiKey, rateLimitPerMinute: p.rateLimitPerMinute, builtIn: p.builtIn,
  }));
  const store = {
    stats: src.stats(),
    files: filesIn(src.dataDir, (n) => n.startsWith('tasks-') || n.includes('.corrupt-')),
    archive: filesIn(path.join(src.dataDir, 'archive')),
  };
  return [
    { name: 'README.txt', data: README(opts.includePrompts) },
    json('system.json', systemInfo(src, now)),
    json('settings.json', src.settings()),
    json('providers.json', providers),
    json('store.json', store),
    json('tasks.json', src.recentTasks(RECENT_TASKS).map((t) => taskSummary(t, opts.includePrompts))),
    ...(await logEntries(src.logDir, { includePrompts: opts.includePrompts, secrets })),
  ];
}

/** Scheme, host and port only: a URL's user info or query could carry a credential. */
function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
