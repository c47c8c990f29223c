// The log file as a user (or a bug report) finds it in <dataDir>/logs: real files, real rotation, a real
// child process for the uncaught-error handlers.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registerSecret } from './log';
import { LOG_FILE_NAME, RotatingLogFile, listLogFiles, rotatedLogName } from './log-file';
import { createAppLogging } from './logging';
import { tempDirForTest } from './test-support/after-test';

const run = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, '../..');
const tempDir = () => tempDirForTest('soradesk-log-');

const readLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the log file', () => {
  it('writes JSON lines to <dataDir>/logs/soradesk.log and rotates at its cap, keeping `keep` older files', () => {
    const dataDir = tempDir();
    const maxBytes = 4096;
    const { logger, file } = createAppLogging({ dataDir, console: false, maxBytes, keep: 2 });
    for (let n = 0; n < 300; n++) logger.info('tick', { n, pad: 'x'.repeat(60) });
    file.close();

    const logDir = path.join(dataDir, 'logs');
    expect(fs.readdirSync(logDir).sort()).toEqual([rotatedLogName(1), rotatedLogName(2), LOG_FILE_NAME].sort());
    const files = listLogFiles(logDir);
    expect(files.map((f) => path.basename(f))).toEqual(['soradesk.log', 'soradesk.1.log', 'soradesk.2.log']);
    for (const f of files) {
      const size = fs.statSync(f).size;
      expect(size).toBeLessThanOrEqual(maxBytes);
      // Rotated files are full (the next line would not fit), and each line is whole JSON.
      if (f !== files[0]) expect(size).toBeGreaterThan(maxBytes - 200);
      expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    }
    // Oldest first across .2, .1, current: contiguous, ending with the last line; the oldest were dropped.
    const ns = [...files].reverse().flatMap((f) => readLines(f).map((l) => l.n as number));
    expect(ns.at(-1)).toBe(299);
    expect(ns[0]).toBeGreaterThan(0);
    expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => ns[0] + i));
    expect(readLines(files[0]).at(-1)).toMatchObject({ level: 'info', msg: 'tick', n: 299, pid: process.pid, t: expect.any(String) });
  });

  it('continues in an existing file after a restart and counts its size toward the cap', () => {
    const dataDir = tempDir();
    const first = createAppLogging({ dataDir, console: false, maxBytes: 2000, keep: 1 });
    for (let n = 0; n < 10; n++) first.logger.info('first run', { n });
    first.file.close();
    const second = createAppLogging({ dataDir, console: false, maxBytes: 2000, keep: 1 });
    for (let n = 0; n < 30; n++) second.logger.info('second run', { n });
    second.file.close();
    const files = listLogFiles(path.join(dataDir, 'logs'));
    expect(files).toHaveLength(2);
    for (const f of files) expect(fs.statSync(f).size).toBeLessThanOrEqual(2000);
    expect(readLines(files[1])[0].msg).toBe('first run');
  });

  it('never writes a registered key, a Bearer value or a field named like a secret', () => {
    const dataDir = tempDir();
    const key = 'sk-test-log-0123456789abcdef';
    registerSecret(key);
    const { logger, file } = createAppLogging({ dataDir, console: false });
    logger.info(`calling upstream with ${key}`, { apiKey: key, headers: { Authorization: 'Bearer abc.def.ghi' }, token: 'eyJ0eXAi', nested: [{ password: 'hunter22' }] });
    logger.error('upstream failed', { err: new Error(`refused key ${key}`) });
    file.close();
    const text = fs.readFileSync(path.join(dataDir, 'logs', LOG_FILE_NAME), 'utf8');
    for (const secret of [key, 'abc.def.ghi', 'eyJ0eXAi', 'hunter22']) expect(text).not.toContain(secret);
    const [first, second] = readLines(path.join(dataDir, 'logs', LOG_FILE_NAME));
    expect(first).toMatchObject({ msg: 'calling upstream with [redacted]', apiKey: '[redacted]', headers: { Authorization: '[redacted]' } });
    expect(second).toMatchObject({ level: 'error', err: { name: 'Error', message: 'refused key [redacted]', stack: expect.stringContaining('logging.test.ts') } });
  });

  it('keeps the app running when the log file cannot be written, and says so once', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'logs'), 'a file where the folder should be');
    const errors: Error[] = [];
    const file = new RotatingLogFile({ dir: path.join(dataDir, 'logs'), onError: (e) => errors.push(e) });
    for (let i = 0; i < 5; i++) expect(() => file.write('{"msg":"x"}')).not.toThrow();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toMatch(/EEXIST|ENOTDIR/);
  });
});

describe('uncaught errors and unhandled rejections', () => {
  it('are logged with their stack before the process ends', async () => {
    const dataDir = tempDir();
    const script = `
      import { createAppLogging, logProcessErrors } from ${JSON.stringify(path.join(import.meta.dirname, 'logging.ts'))};
      const { logger } = createAppLogging({ dataDir: ${JSON.stringify(dataDir)}, console: false });
      logProcessErrors(logger, { onUncaught: () => process.exit(70) });
      Promise.reject(new Error('nobody caught this rejection'));
      setTimeout(() => { throw new Error('nobody caught this exception'); }, 20);`;
    const err = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot }).catch((e: { code: number }) => e);
    expect((err as { code: number }).code).toBe(70);
    const lines = readLines(path.join(dataDir, 'logs', LOG_FILE_NAME));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', msg: 'unhandled promise rejection', err: expect.objectContaining({ message: 'nobody caught this rejection', stack: expect.stringContaining('Error: nobody caught') }) }),
      expect.objectContaining({ level: 'error', msg: 'uncaught exception', origin: 'uncaughtException', err: expect.objectContaining({ message: 'nobody caught this exception' }) }),
    ]);
  });
});
