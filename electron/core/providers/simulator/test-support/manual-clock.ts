// A clock tests move by hand, so a simulated job's progress is checked without waiting.
import type { Clock } from '../../../clock';

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(startMs = 1_760_000_000_000): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    setTimeout: () => { throw new Error('the simulator sets no timers'); },
    clearTimeout: () => {},
    advance: (ms) => { now += ms; },
  };
}
