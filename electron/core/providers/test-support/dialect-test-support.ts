// For the dialect tests: the demo simulator on 127.0.0.1 (its second port the media host), a client of
// one dialect holding a key, and checks that the key went to the API and nowhere else.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { createProviderClient } from '../create-provider-client';
import type { ProviderClient } from '../provider-client';
import { manualClock, type ManualClock } from '../simulator/test-support/manual-clock';
import { defaultSampleDir } from '../simulator/sim-media';
import { startSimulator, type Simulator } from '../simulator/simulator';

export const KEY = 'test-key-0123456789abcdef';
export const DURATION = 1000;

export interface DialectFixture {
  sim: Simulator;
  clock: ManualClock;
  client: ProviderClient;
  /** A client whose requests time out fast (for hangs). */
  impatient: ProviderClient;
}

export function useDialect(dialect: 'gemini' | 'fal' | 'replicate'): DialectFixture {
  const f = {} as DialectFixture;
  beforeEach(async () => {
    f.clock = manualClock();
    f.sim = await startSimulator({ jobDurationMs: DURATION, clock: f.clock, recordRequests: true });
    f.client = createProviderClient({ dialect, baseUrl: f.sim.urls[dialect], apiKey: KEY });
    f.impatient = createProviderClient({ dialect, baseUrl: f.sim.urls[dialect], apiKey: KEY, timeoutMs: 200 });
  });
  afterEach(async () => { await f.sim.close(); });
  return f;
}

export async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function sampleVideo(): Promise<Buffer> {
  return readFile(path.join(defaultSampleDir(), 'sample.mp4'));
}

/** Every API request carried the key; the media host saw none of it, in any header. */
export function expectKeyOnlyAtTheApi(sim: Simulator): void {
  expect(sim.requests.length).toBeGreaterThan(0);
  expect(sim.requests.every((r) => r.keyed)).toBe(true);
  expect(sim.mediaRequests.length).toBeGreaterThan(0);
  for (const r of sim.mediaRequests) {
    expect(JSON.stringify(r.headers)).not.toContain(KEY);
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers['x-goog-api-key']).toBeUndefined();
  }
}
