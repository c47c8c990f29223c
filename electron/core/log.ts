// Structured, levelled logging on pino: one JSON line per event, secrets redacted before anything is
// written. The desktop app and `npm run serve` build the same logger (./logging.ts adds the log file).
// pino runs in-process here with plain destinations: no transport, so no worker thread to bundle.
import pino from 'pino';
import { systemClock, type Clock } from './clock';
import { redact } from './log-redaction';

export { redact, registerSecret } from './log-redaction';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Where finished lines go: one JSON object per call, without the newline. */
export type LogSink = (line: string) => void;

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default: stderr. */
  write?: LogSink;
  /** More places every line goes too (the rotating log file). */
  sinks?: LogSink[];
  fields?: Record<string, unknown>;
  /** Where the line's time comes from (default: the system clock). */
  clock?: Pick<Clock, 'now'>;
}

/** An Error becomes {name, message, code?, stack}; the stack stays in the log file for bug reports. */
function errorFields(err: Error): Record<string, unknown> {
  const code = (err as NodeJS.ErrnoException).code;
  return { name: err.name, message: err.message, ...(code ? { code } : {}), stack: err.stack };
}

function wrap(p: pino.Logger): Logger {
  const emit = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    const obj = fields?.err instanceof Error ? { ...fields, err: errorFields(fields.err) } : fields;
    p[level](obj ? (redact(obj) as Record<string, unknown>) : {}, redact(msg) as string);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => wrap(p.child(redact(fields) as Record<string, unknown>)),
  };
}

const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

export function createLogger(opts: LoggerOptions = {}): Logger {
  const sinks = [opts.write ?? stderrSink, ...(opts.sinks ?? [])];
  const clock = opts.clock ?? systemClock;
  const destination = {
    write(chunk: string) {
      const line = chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk;
      for (const sink of sinks) sink(line);
    },
  };
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid },
      // `t`, as the lines have always been keyed.
      timestamp: () => `,"t":"${new Date(clock.now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are shaped (and redacted) by wrap(), not by pino's serializer.
      serializers: { err: (v: unknown) => v },
    },
    destination,
  );
  return wrap(opts.fields ? p.child(redact(opts.fields) as Record<string, unknown>) : p);
}

export const silentLogger: Logger = wrap(pino({ level: 'silent' }));
