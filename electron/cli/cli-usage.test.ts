// Usage errors of the `soradesk` command: exit 2 with a line that names the option, before anything is
// sent or started (the data dir stays untouched: no core ran on it).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '@shared/contract/values';
import { tempDirForTest } from '../core/test-support/after-test';
import { soradeskInProcess } from './test-support/soradesk-run';

async function usage(...args: string[]): Promise<string> {
  const dataDir = tempDirForTest('soradesk-usage-');
  // Nothing may start: a core would leave its lock, logs and database in the data dir.
  const run = await soradeskInProcess(['--data-dir', dataDir, ...args]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(fs.readdirSync(dataDir)).toEqual([]);
  return run.stderr;
}

describe('soradesk usage errors (exit 2, nothing started)', () => {
  it('no command, an unknown command, a missing argument', async () => {
    expect(await usage()).toContain('Usage: soradesk [options] [command]');
    expect(await usage('make', 'a cat')).toContain("error: unknown command 'make'");
    expect(await usage('create')).toContain("error: missing required argument 'prompt'");
    expect(await usage('wait')).toContain("error: missing required argument 'id'");
  });

  it('values the contract refuses, named by their option', async () => {
    expect(await usage('create', 'a cat', '--seconds', 'four')).toMatch(/^--seconds: /m);
    expect(await usage('create', '   ')).toContain('the prompt: prompt is required');
    expect(await usage('create', 'a cat', '--out', 'x.mp4')).toContain('--out needs --wait');
    expect(await usage('list', '--limit', '0')).toContain("option '--limit <n>' argument '0' is invalid. a number from 1 to 500.");
  });

  it('--image: unreadable, not an image, too large for one frame', async () => {
    const dir = tempDirForTest('soradesk-image-');
    expect(await usage('create', 'a cat', '--image', path.join(dir, 'missing.png'))).toContain('missing.png cannot be read (ENOENT)');
    const text = path.join(dir, 'notes.png');
    fs.writeFileSync(text, 'just text');
    expect(await usage('create', 'a cat', '--image', text)).toContain(`--image ${text} is not a PNG, JPEG or WebP image.`);
    const big = path.join(dir, 'big.jpg');
    fs.writeFileSync(big, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(MAX_FRAME_BYTES)]));
    expect(await usage('create', 'a cat', '--image', big)).toMatch(/over the local API's 1024 KiB; use an image under about 750 KB/);
  });

  it('with --json the usage error is an event on stdout too', async () => {
    const dataDir = tempDirForTest('soradesk-usage-');
    const run = await soradeskInProcess(['--data-dir', dataDir, '--json', 'list', '--sort', 'name']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(`${JSON.stringify({ event: 'error', code: 'USAGE', message: "unknown option '--sort'", exitCode: 2 })}\n`);
    const ours = await soradeskInProcess(['--data-dir', dataDir, '--json', 'create', 'a cat', '--out', 'x.mp4']);
    expect(JSON.parse(ours.stdout)).toMatchObject({ event: 'error', code: 'USAGE', exitCode: 2, message: expect.stringContaining('--out needs --wait') });
  });

  it('--help and --version are no errors', async () => {
    const dataDir = tempDirForTest('soradesk-usage-');
    const help = await soradeskInProcess(['--data-dir', dataDir, 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--image <file>');
    const top = await soradeskInProcess(['--help']);
    expect(top.stdout).toMatch(/Exit codes:\n\s+0\s+done/);
    expect((await soradeskInProcess(['--version'])).stdout.trim()).toBe('0.0.0-test');
  });
});
