import { describe, expect, it } from 'vitest';
import type { ProgressSample } from '@shared/contract/task';
import { createTypicalDurations, estimateEta, HISTORY_LIMIT, watchedPollDelay, WATCHED_MIN_DELAY_MS, withSample } from './progress-eta';

const T0 = Date.UTC(2026, 10, 29, 2, 0, 0);
const sample = (s: number, progress: number): ProgressSample => ({ at: new Date(T0 + s * 1000).toISOString(), progress });
const secondsAfterT0 = (iso: string | null) => (iso === null ? null : (Date.parse(iso) - T0) / 1000);

describe('the progress history', () => {
  it('adds a sample only when the progress moved, and keeps the last few', () => {
    let h: ProgressSample[] = [];
    h = withSample(h, T0, 0);
    const same = withSample(h, T0 + 5000, 0);
    expect(same).toBe(h); // unchanged: nothing to store or push
    for (let i = 1; i <= 20; i++) h = withSample(h, T0 + i * 1000, i * 4);
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h.at(-1)).toEqual(sample(20, 80));
    expect(h[0]).toEqual(sample(20 - HISTORY_LIMIT + 1, (20 - HISTORY_LIMIT + 1) * 4));
  });
});

describe('the ETA', () => {
  it('follows the rate of progress: 10 % in 2 s from 40 % ends 12 s after the last sample', () => {
    const eta = estimateEta([sample(0, 30), sample(2, 40), sample(4, 50)], T0, null);
    expect(eta.etaBasis).toBe('progress');
    expect(secondsAfterT0(eta.etaAt)).toBe(4 + 10);
  });

  it('reads the recent pace, not the queue wait before the job started', () => {
    // Queued at 0 % for 60 s, then 10 % a second.
    const history = [sample(0, 0), sample(60, 10), sample(61, 20), sample(62, 30), sample(63, 40), sample(64, 50)];
    expect(secondsAfterT0(estimateEta(history, T0, null).etaAt)).toBe(64 + 5);
  });

  it('uses the model\'s typical duration where the progress says nothing', () => {
    const created = T0 - 3000;
    expect(estimateEta([], created, 20_000)).toEqual({ etaAt: new Date(created + 20_000).toISOString(), etaBasis: 'typical' });
    // One sample, or samples that never moved, give no rate.
    expect(estimateEta([sample(0, 0)], created, 20_000).etaBasis).toBe('typical');
    expect(estimateEta([sample(0, 0), sample(5, 0)], created, 20_000).etaBasis).toBe('typical');
  });

  it('is unknown without a rate or a typical duration', () => {
    expect(estimateEta([sample(0, 12)], T0, null)).toEqual({ etaAt: null, etaBasis: null });
  });
});

describe('typical durations learned from finished jobs', () => {
  const done = (videoId: string, seconds: number, over: Partial<{ providerId: string; model: string | null; status: string }> = {}) => ({
    videoId, providerId: 'demo', model: 'sora-2' as string | null, status: 'COMPLETED',
    createdAt: new Date(T0).toISOString(), completedAt: new Date(T0 + seconds * 1000).toISOString(), ...over,
  });

  it('is the median per provider and model, each job counted once', () => {
    const d = createTypicalDurations();
    expect(d.typical('demo', 'sora-2')).toBeNull();
    d.learn(done('a', 10));
    d.learn(done('b', 30));
    d.learn(done('b', 30)); // stored again (its file was kept): not a second run
    d.learn(done('c', 14));
    expect(d.typical('demo', 'sora-2')).toBe(14_000);
    d.learn(done('d', 90, { model: 'sora-2-pro' }));
    d.learn(done('e', 5, { providerId: 'relay' }));
    expect(d.typical('demo', 'sora-2')).toBe(14_000);
    expect(d.typical('demo', 'sora-2-pro')).toBe(90_000);
    expect(d.typical('relay', 'sora-2')).toBe(5_000);
  });

  it('learns nothing from a job that did not complete', () => {
    const d = createTypicalDurations();
    d.learn(done('a', 10, { status: 'FAILED' }));
    d.learn({ ...done('b', 10), completedAt: null });
    expect(d.typical('demo', 'sora-2')).toBeNull();
  });
});

describe('how soon a watched task is looked at again', () => {
  it('halves the time left to its ETA, never under a second', () => {
    const eta = new Date(T0 + 20_000).toISOString();
    expect(watchedPollDelay(eta, T0)).toBe(10_000);
    expect(watchedPollDelay(eta, T0 + 16_000)).toBe(2_000);
    expect(watchedPollDelay(eta, T0 + 19_900)).toBe(WATCHED_MIN_DELAY_MS);
  });

  it('backs off again once the job runs late, and gives no hint without an ETA', () => {
    const eta = new Date(T0).toISOString();
    expect(watchedPollDelay(eta, T0 + 30_000)).toBe(15_000);
    expect(watchedPollDelay(null, T0)).toBe(Infinity);
  });
});
