import { describe, expect, it } from 'vitest';
import { parseBatchFile } from './batch-file';

describe('a batch from a file', () => {
  it('a .txt is one prompt a line; blank lines are skipped', () => {
    expect(parseBatchFile('prompts.txt', 'a cat\r\n\n  a dog  \n')).toEqual({ ok: true, items: [{ prompt: 'a cat' }, { prompt: 'a dog' }] });
  });

  it('a .csv takes its columns from the header row, in any order, with quoted commas, quotes and line breaks', () => {
    const csv = 'seconds,Prompt,size,model\n4,"a cat, on a ""piano""",1280x720,sora-2\n,"two\nlines",,\n';
    expect(parseBatchFile('batch.CSV', csv)).toEqual({
      ok: true,
      items: [{ prompt: 'a cat, on a "piano"', seconds: '4', size: '1280x720', model: 'sora-2' }, { prompt: 'two\nlines' }],
    });
  });

  it('a bad row is named by its line number and nothing of the file is taken', () => {
    const csv = 'prompt,seconds,size\nfine,4,1280x720\n"spans\ntwo lines",8,1280x720\nbad,four,1280x720\nlater,4,1280x720\n';
    expect(parseBatchFile('batch.csv', csv)).toEqual({ ok: false, line: 5, message: 'seconds "four" is not a whole number of seconds' });
    expect(parseBatchFile('b.csv', 'prompt,size\nx,wide\n')).toEqual({ ok: false, line: 2, message: 'size "wide" must look like 1280x720' });
    expect(parseBatchFile('b.csv', 'prompt\n"never closed\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseBatchFile('b.csv', 'prompt,colour\nx,red\n')).toMatchObject({ ok: false, line: 1, message: expect.stringContaining('unknown column "colour"') });
    expect(parseBatchFile('b.csv', 'model\nsora-2\n')).toMatchObject({ ok: false, line: 1, message: 'the header row has no "prompt" column' });
    expect(parseBatchFile('b.csv', 'prompt,model\n,sora-2\n')).toEqual({ ok: false, line: 2, message: 'the prompt is empty' });
    expect(parseBatchFile('b.csv', 'prompt\na,b\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseBatchFile(null, '\n\n')).toMatchObject({ ok: false, message: 'no prompts in it' });
  });
});
