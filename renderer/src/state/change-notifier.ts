// Tells React about model changes at most once per animation frame (a microtask where there are
// no frames, as under Node), so a burst of hundreds of pushes costs one render, not hundreds.

/** Runs `flush` once, soon: before the next paint in a browser. */
export type NotifyScheduler = (flush: () => void) => void;

// Looked up on globalThis: this file is also compiled without the DOM library (the benchmark).
const frames = (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame;

export const nextFrame: NotifyScheduler = (flush) => {
  if (frames) frames.call(globalThis, () => flush());
  else queueMicrotask(flush);
};

export class ChangeNotifier {
  /** Bumped once per notification (per frame), however many changes it covers. */
  version = 0;
  private pending = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly schedule: NotifyScheduler = nextFrame) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      this.version += 1;
      for (const l of this.listeners) l();
    });
  }
}
