// The desktop app's logging as set up at launch: the log file in userData/logs, the crash reporter kept
// local, processes that die and uncaught errors logged. Electron is the test fake; files are real.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDesktopLogging } from './desktop-logging';
import { fakeElectron as electron, resetFakeElectron } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectron);

let dir: string;
const before = { exception: 0, rejection: 0 };
beforeEach(() => {
  resetFakeElectron();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-desktop-log-'));
  electron.app.userData = path.join(dir, 'userData');
  before.exception = process.listenerCount('uncaughtException');
  before.rejection = process.listenerCount('unhandledRejection');
});
afterEach(() => {
  // Only the handlers this test added.
  for (const l of process.listeners('uncaughtException').slice(before.exception)) process.off('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection').slice(before.rejection)) process.off('unhandledRejection', l);
  fs.rmSync(dir, { recursive: true, force: true });
});

const logLines = () => fs.readFileSync(path.join(electron.app.userData, 'logs', 'soradesk.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('desktop logging', () => {
  it('writes to <userData>/logs, starts the crash reporter without uploads, and logs dead processes', () => {
    const { logger, logDir, crashDumpsDir } = startDesktopLogging('info', { console: false });
    expect(logDir).toBe(path.join(electron.app.userData, 'logs'));
    expect(crashDumpsDir).toBe(electron.app.getPath('crashDumps'));
    expect(electron.crashReporter.started).toEqual({ uploadToServer: false });
    logger.info('hello from the shell');
    electron.app.emit('render-process-gone', {}, {}, { reason: 'crashed', exitCode: 139 });
    electron.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'oom', exitCode: 9, name: 'GPU' });
    expect(logLines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'hello from the shell' }),
      expect.objectContaining({ level: 'error', msg: 'the window\'s renderer process is gone', reason: 'crashed', exitCode: 139 }),
      expect.objectContaining({ level: 'error', msg: 'a helper process is gone', type: 'GPU', reason: 'oom' }),
    ]);
  });

  it('an uncaught exception in main is logged with its stack, told to the user, and the app quits (flushing the core)', () => {
    startDesktopLogging('info', { console: false });
    const handler = process.listeners('uncaughtException').at(-1)!;
    handler(new Error('main process bug'), 'uncaughtException');
    expect(logLines()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'uncaught exception', err: expect.objectContaining({ message: 'main process bug', stack: expect.stringContaining('desktop-logging.test.ts') }) }));
    expect(electron.dialog.errors).toEqual([expect.objectContaining({ title: 'SoraDesk hit an unexpected error', content: expect.stringContaining(path.join(electron.app.userData, 'logs')) })]);
    expect(electron.app.quitCalls).toBe(1);

    const onRejection = process.listeners('unhandledRejection').at(-1)! as (reason: unknown) => void;
    onRejection('a string reason');
    expect(logLines()).toContainEqual(expect.objectContaining({ msg: 'unhandled promise rejection', reason: 'a string reason' }));
  });
});
