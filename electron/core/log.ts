// Structured, levelled logging. One JSON line per event; secrets are redacted before writing.
import { systemClock, type Clock } from './clock';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_KEYS = /^(api[-_]?key|authorization|token|password|secret)$/i;

/** Values registered here (API keys as they pass through) are masked in every log line. */
const knownSecrets = new Set<string>();
export function registerSecret(value: string): void {
  if (value.length >= 4) knownSecrets.add(value);
}

export function redact(value: unknown): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out.replace(/\b(Bearer\s+)[^\s"']+/gi, '$1[redacted]');
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v);
    return out;
  }
  return value;
}

export interface LoggerOptions {
  level?: LogLevel;
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
  /** Where the line's time comes from (default: the system clock). */
  clock?: Pick<Clock, 'now'>;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const base = opts.fields ?? {};
  const clock = opts.clock ?? systemClock;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const err = fields?.err instanceof Error ? { err: { name: fields.err.name, message: fields.err.message } } : {};
    write(JSON.stringify(redact({ t: new Date(clock.now()).toISOString(), level, msg, ...base, ...fields, ...err })));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...opts, fields: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
