import { describe, expect, it } from 'vitest';
import { createProviderGate, GateRefusal, type GatePriority, type ProviderLimits } from './provider-gate';
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
  it('never starts more than perMinute calls in any 60 s window, and starts the rest as the window slides', async () => {
    const { clock, gate, log } = setup({ perMinute: 3 });
    const done: Array<Promise<string>> = [];
    const quick = (name: string) => async () => {
      log.started.push({ name, at: clock.now() });
      return name;
    };
    for (let i = 0; i < 7; i++) done.push(gate.run('p', 'background', quick(`c${i}`)));
    await flush();
    expect(log.names()).toEqual(['c0', 'c1', 'c2']);
    clock.advance(59_999);
    await flush();
    expect(log.started).toHaveLength(3);
    clock.advance(1);
    await flush();
    expect(log.names()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    clock.advance(60_000);
    expect(await Promise.all(done)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    for (const { at } of log.started) expect(log.started.filter((s) => s.at >= at && s.at < at + 60_000).length).toBeLessThanOrEqual(3);
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
    const { clock, gate, log } = setup({ perMinute: 2 });
    await gate.run('relay', 'background', async () => 1);
    clock.advance(10_000);
    await gate.run('relay', 'background', async () => 2);
    const refused = gate.run('relay', 'interactive', log.call('x'), { maxWaitMs: 30_000 });
    await expect(refused).rejects.toBeInstanceOf(GateRefusal);
    await expect(refused).rejects.toMatchObject({ code: 'RATE_LIMITED', transient: true, reached: 'no', retryAfterMs: 50_000 });
    await expect(refused).rejects.toThrow('rate limit of 2/min for provider "relay"; try again in 50 s');
    expect(gate.refusal('relay', 'interactive', 60_000)).toBeNull();
    const patient = gate.run('relay', 'interactive', log.call('y'), { maxWaitMs: 60_000 });
    await flush();
    expect(log.names()).toEqual([]);
    clock.advance(50_000);
    await log.finish('y');
    expect(await patient).toBe('y');
    expect(log.names()).toEqual(['y']);
  });

  it('counts the callers ahead when it estimates the wait', async () => {
    const { gate } = setup({ perMinute: 1 });
    void gate.run('p', 'background', async () => 0);
    void gate.run('p', 'watched', async () => 0);
    await flush();
    // Behind one waiting watched call: its token comes in 60 s, ours in 120 s.
    expect(gate.refusal('p', 'watched', 90_000)?.retryAfterMs).toBe(120_000);
    // Nothing interactive waits, so an interactive call is next: 60 s.
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
