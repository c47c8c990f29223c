// The bar of a running task moves smoothly, not in the jumps the core reports (a poll every few
// seconds). The rule that keeps it honest: the bar glides from where it is toward the value the core
// last reported, over about the time the core takes between reports, and stops there. So it never
// shows more than the core has reported (it cannot pass the next real value, which is never lower:
// progress only grows) and never moves backwards. While it glides it is an estimate, and says so.

export interface SmootherOptions {
  /** The shortest and longest glide (ms). */
  minGlideMs?: number;
  maxGlideMs?: number;
  /** The glide before the time between reports is known (ms). */
  firstGlideMs?: number;
}

export class ProgressSmoother {
  private from: number;
  private target: number;
  private startAt: number;
  private glideMs = 0;
  private lastReportAt: number | null = null;
  /** The time between reports that moved the progress, smoothed. */
  private gapMs: number;
  private readonly minGlide: number;
  private readonly maxGlide: number;

  constructor(initial: number, now: number, opts: SmootherOptions = {}) {
    this.from = this.target = clamp(initial);
    this.startAt = now;
    this.minGlide = opts.minGlideMs ?? 600;
    this.maxGlide = opts.maxGlideMs ?? 8_000;
    this.gapMs = opts.firstGlideMs ?? 3_000;
  }

  /** The value the core reported last: the bar never goes past it. */
  get reported(): number {
    return this.target;
  }

  /** A value the core reported. A lower one (an older reply) changes nothing: the bar never goes back. */
  report(value: number, now: number): void {
    const v = clamp(value);
    if (v <= this.target) return;
    if (this.lastReportAt !== null) this.gapMs = (this.gapMs + Math.max(0, now - this.lastReportAt)) / 2;
    this.lastReportAt = now;
    this.from = this.valueAt(now);
    this.target = v;
    this.startAt = now;
    this.glideMs = Math.min(this.maxGlide, Math.max(this.minGlide, this.gapMs));
  }

  /** A finished task shows its final value at once: there is nothing left to estimate. */
  settle(value: number, now: number): void {
    this.from = this.target = Math.max(this.target, clamp(value));
    this.startAt = now;
    this.glideMs = 0;
  }

  /** What the bar shows at `now`: between where it was and the last report, never beyond it. */
  valueAt(now: number): number {
    const elapsed = now - this.startAt;
    if (this.glideMs <= 0 || elapsed >= this.glideMs) return this.target;
    if (elapsed <= 0) return this.from;
    return this.from + ((this.target - this.from) * elapsed) / this.glideMs;
  }

  /** Still on its way to the last report: what it shows is an estimate. */
  estimating(now: number): boolean {
    return this.valueAt(now) < this.target;
  }
}

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(100, v)) : 0;
}
