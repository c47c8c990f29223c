import { describe, expect, it } from 'vitest';
import { formatElapsed, progressLine, terminalBar } from './progress-bar';

const task = (status: 'QUEUED' | 'PROCESSING' | 'COMPLETED', progress: number) => ({ videoId: 'vid_1', status, progress });

describe('the progress bar', () => {
  it('fills in proportion, never wider than the terminal', () => {
    expect(progressLine(task('PROCESSING', 0), 80, 0)).toBe(`vid_1  PROCESSING [>${' '.repeat(39)}]   0%  0:00`);
    expect(progressLine(task('PROCESSING', 50), 80, 65_000)).toBe(`vid_1  PROCESSING [${'='.repeat(20)}>${' '.repeat(19)}]  50%  1:05`);
    expect(progressLine(task('COMPLETED', 100), 80, 0)).toBe(`vid_1  COMPLETED  [${'='.repeat(40)}] 100%  0:00`);
    for (const columns of [10, 30, 45, 60, 200]) expect(progressLine(task('QUEUED', 42), columns, 0).length).toBeLessThan(columns);
    expect(progressLine(task('QUEUED', 42), 30, 0)).toBe('QUEUED 42%');
  });

  it('formats the time waited', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(59_999)).toBe('0:59');
    expect(formatElapsed(3_725_000)).toBe('62:05');
  });

  it('redraws one line in place on a terminal and ends it with a newline', () => {
    let written = '';
    const stream = { columns: 80, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const bar = terminalBar(stream, () => 0);
    bar.show({ ...task('QUEUED', 0) } as never);
    bar.show({ ...task('PROCESSING', 30) } as never);
    bar.end();
    const frames = written.split('\r').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/QUEUED .*\x1b\[K$/);
    expect(frames[1]).toMatch(/PROCESSING .* 30%  0:00\x1b\[K\n$/);
  });
});
