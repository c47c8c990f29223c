// A clock the bench moves by hand, timer by timer, so a simulated minute takes only as long as the
// work in it. `changes` counts every timer set or cleared (a sign the system is still reacting).
import type { Clock } from '../../electron/core/clock';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class SteppedClock implements Clock {
  private t: number;
  private seq = 0;
  /** Sorted by (at, id); cleared timers are removed. */
  private timers: Timer[] = [];
  changes = 0;

  constructor(start = Date.now()) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const timer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timers[mid].at <= timer.at) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    this.changes++;
    return timer.id;
  };

  clearTimeout = (handle: unknown): void => {
    const i = this.timers.findIndex((x) => x.id === handle);
    if (i >= 0) this.timers.splice(i, 1);
    this.changes++;
  };

  /** Fires the earliest timer if it is due by `limit` (moving time to it); else moves time to `limit`. */
  step(limit: number): void {
    const next = this.timers[0];
    if (!next || next.at > limit) {
      this.t = Math.max(this.t, limit);
      return;
    }
    this.timers.shift();
    this.t = Math.max(this.t, next.at);
    next.fn();
  }
}
