import { describe, expect, it } from 'vitest';
import { createProviderGate, GateRefusal, pacedSpacingMs, type GatePriority, type ProviderLimits } from './provider-gate';
import { ManualClock } from './test-support/service-harness';

/** A call whose answer the test gives: records when it started and stays open until finished. */
function callLog(clock: ManualClock) {
  const started: Array<{ name: string; at: number }> = [];
  const open = new Map<string, () => void>();
  let maxOpen = 0;
  const call = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push({ name, at: clock.now() });
      open.set(name, () => resolve(name));
      maxOpen = Math.max(maxOpen, open.size);
    });
  const finish = async (name: string) => {
    open.get(name)!();
    open.delete(name);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, call, finish, names: () => started.map((s) => s.name), get maxOpen() { return maxOpen; } };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function setup(limits: Partial<ProviderLimits> = {}) {
  const clock = new ManualClock();
  const gate = createProviderGate({ clock, limits: () => ({ concurrency: 100, perMinute: null, ...limits }) });
  return { clock, gate, log: callLog(clock) };
}

describe('the provider gate', () => {
  it('paces calls evenly, one every 60 s / (0.95 x perMinute): never a burst, never over perMinute in any 60 s window', async () => {
    const { clock, gate, log } = setup({ perMinute: 3 });
    const spacing = pacedSpacingMs(3);
    const quick = (name: string) => async () => {
      log.started.push({ name, at: clock.now() });
      return name;
    };
    const t0 = clock.now();
    const done = Array.from({ length: 7 }, (_, i) => gate.run('p', 'background', quick(`c${i}`)));
    await flush();
    expect(log.names()).toEqual(['c0']);
    clock.advance(spacing - 1);
    await flush();
    expect(log.names()).toEqual(['c0']);
    for (let i = 0; i < 6; i++) {
      clock.advance(i === 0 ? 1 : spacing);
      await flush();
    }
    expect(await Promise.all(done)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(log.started.map((s) => Math.round(s.at - t0))).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => Math.round(k * spacing)));
    for (const { at } of log.started) expect(log.started.filter((s) => s.at >= at && s.at < at + 60_000).length).toBeLessThanOrEqual(3);
  });

  it('keeps pace with demand above the limit: at least 0.9 x perMinute a minute, at most perMinute in any minute, perMinute / 60 in any second', async () => {
    const { clock, gate, log } = setup({ perMinute: 600 });
    const t0 = clock.now();
    const quick = (name: string) => async () => void log.started.push({ name, at: clock.now() });
    const done = Array.from({ length: 3000 }, (_, i) => gate.run('p', 'background', quick(`c${i}`)));
    for (let t = 0; t < 5 * 60_000; t += 50) {
      clock.advance(50);
      await flush();
    }
    const times = log.started.map((s) => s.at - t0);
    const within = (span: number) => Math.max(...times.map((a) => times.filter((b) => b >= a && b < a + span).length));
    expect(within(60_000)).toBeLessThanOrEqual(600);
    expect(within(1000)).toBeLessThanOrEqual(10);
    expect(times.filter((t) => t < 5 * 60_000).length / 5).toBeGreaterThanOrEqual(540);
    gate.close();
    await Promise.allSettled(done);
  });

  it('after an idle spell the next call goes at once; a start that came late keeps the even grid', async () => {
    const { clock, gate, log } = setup({ perMinute: 60, concurrency: 1 });
    const spacing = pacedSpacingMs(60);
    const t0 = clock.now();
    const a = gate.run('p', 'background', log.call('a'));
    await flush();
    await log.finish('a');
    await a;
    clock.advance(10 * spacing);
    const b = gate.run('p', 'background', log.call('b')); // idle long enough: at once
    const c = gate.run('p', 'background', log.call('c')); // its slot comes while b still holds the only slot
    await flush();
    clock.advance(spacing + 7);
    await log.finish('b'); // so c starts 7 ms after its slot
    await log.finish('c');
    const d = gate.run('p', 'background', log.call('d'));
    clock.advance(spacing - 7); // the grid goes on: no slot lost to the late one
    await flush();
    await log.finish('d');
    await Promise.all([b, c, d]);
    const at = log.started.map((s) => Math.round(s.at - t0));
    expect(at).toEqual([0, Math.round(10 * spacing), Math.round(11 * spacing + 7), Math.round(12 * spacing)]);
  });

  it('keeps at most `concurrency` calls open, in arrival order', async () => {
    const { gate, log } = setup({ concurrency: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((n) => gate.run('p', 'background', log.call(n)));
    await flush();
    expect(log.names()).toEqual(['a', 'b']);
    await log.finish('b');
    expect(log.names()).toEqual(['a', 'b', 'c']);
    for (const n of ['a', 'c', 'd', 'e']) await log.finish(n);
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(log.maxOpen).toBe(2);
    expect(gate.openCalls()).toBe(0);
  });

  it('lets interactive calls pass watched ones, and watched ones pass background polling', async () => {
    const { gate, log } = setup({ concurrency: 1 });
    const run = (name: string, p: GatePriority) => void gate.run('p', p, log.call(name));
    run('busy', 'background');
    run('bg1', 'background');
    run('w1', 'watched');
    run('bg2', 'background');
    run('ui1', 'interactive');
    run('w2', 'watched');
    run('ui2', 'interactive');
    await flush();
    for (const n of ['busy', 'ui1', 'ui2', 'w1', 'w2', 'bg1']) await log.finish(n);
    expect(log.names()).toEqual(['busy', 'ui1', 'ui2', 'w1', 'w2', 'bg1', 'bg2']);
  });

  it('reads a waiting call\'s priority at each dispatch, so a shared call can be raised', async () => {
    const { gate, log } = setup({ concurrency: 1 });
    let raised: GatePriority = 'background';
    void gate.run('p', 'background', log.call('busy'));
    void gate.run('p', 'background', log.call('old'));
    void gate.run('p', () => raised, log.call('shared'));
    raised = 'interactive';
    await flush();
    await log.finish('busy');
    expect(log.names()).toEqual(['busy', 'shared']);
  });

  it('refuses an impatient caller at once with RATE_LIMITED and the wait; a patient one queues', async () => {
    const { clock, gate, log } = setup({ perMinute: 1 });
    const spacing = pacedSpacingMs(1);
    await gate.run('relay', 'background', async () => 1);
    clock.advance(10_000);
    const wait = spacing - 10_000;
    const refused = gate.run('relay', 'interactive', log.call('x'), { maxWaitMs: 30_000 });
    await expect(refused).rejects.toBeInstanceOf(GateRefusal);
    await expect(refused).rejects.toMatchObject({ code: 'RATE_LIMITED', transient: true, reached: 'no', retryAfterMs: expect.closeTo(wait, 3) });
    await expect(refused).rejects.toThrow(`rate limit of 1/min for provider "relay"; try again in ${Math.ceil(wait / 1000)} s`);
    expect(gate.refusal('relay', 'interactive', 60_000)).toBeNull();
    const patient = gate.run('relay', 'interactive', log.call('y'), { maxWaitMs: 60_000 });
    await flush();
    expect(log.names()).toEqual([]);
    clock.advance(wait);
    await log.finish('y');
    expect(await patient).toBe('y');
    expect(log.names()).toEqual(['y']);
  });

  it('counts the callers ahead when it estimates the wait', async () => {
    const { gate } = setup({ perMinute: 1 });
    void gate.run('p', 'background', async () => 0);
    void gate.run('p', 'watched', async () => 0);
    await flush();
    // Behind one waiting watched call: its slot comes in one spacing, ours in two.
    expect(gate.refusal('p', 'watched', 90_000)?.retryAfterMs).toBeCloseTo(2 * pacedSpacingMs(1));
    // Nothing interactive waits, so an interactive call is next: one spacing.
    expect(gate.refusal('p', 'interactive', 90_000)).toBeNull();
  });

  it('a failing call frees its slot and its error reaches the caller', async () => {
    const { gate } = setup({ concurrency: 1 });
    const failing = gate.run('p', 'background', async () => {
      throw new Error('upstream said no');
    });
    const next = gate.run('p', 'background', async () => 'ran');
    await expect(failing).rejects.toThrow('upstream said no');
    expect(await next).toBe('ran');
  });

  it('keeps providers apart', async () => {
    const { gate, log } = setup({ concurrency: 1, perMinute: 1 });
    void gate.run('a', 'background', log.call('a1'));
    void gate.run('a', 'background', log.call('a2'));
    void gate.run('b', 'background', log.call('b1'));
    await flush();
    expect(log.names()).toEqual(['a1', 'b1']);
  });

  it('on close, waiting calls give up unsent while open ones finish', async () => {
    const { gate, log } = setup({ concurrency: 1 });
    const open = gate.run('p', 'background', log.call('open'));
    const waiting = gate.run('p', 'background', log.call('waiting'));
    await flush();
    gate.close();
    await expect(waiting).rejects.toMatchObject({ reached: 'no' });
    await expect(gate.run('p', 'interactive', log.call('late'))).rejects.toBeInstanceOf(GateRefusal);
    await log.finish('open');
    expect(await open).toBe('open');
    expect(log.names()).toEqual(['open']);
    expect(gate.queuedCalls()).toBe(0);
  });
});
