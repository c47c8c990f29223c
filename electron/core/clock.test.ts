// Time in the core comes from the injected Clock: a log line's time and an upstream's Retry-After date
// are read against it, not against the machine's clock.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from './clock';
import { createLogger } from './log';
import { createProviderClient } from './providers/create-provider-client';
import { UpstreamError } from './providers/provider-client';

/** A clock stopped at a moment far from now. */
const AT = Date.parse('2031-05-04T03:02:01.000Z');
const stopped: Clock = { now: () => AT, setTimeout: () => 0, clearTimeout: () => undefined };

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('the injected clock', () => {
  it('stamps log lines', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l), clock: stopped }).child({ part: 'x' }).info('hello');
    expect(JSON.parse(lines[0]).t).toBe('2031-05-04T03:02:01.000Z');
  });

  it('reads an upstream\'s Retry-After date against the core\'s time', async () => {
    // The upstream asks to wait until 90 s after the core's "now": far in the machine's future.
    server = http.createServer((_req, res) => {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': new Date(AT + 90_000).toUTCString() });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createProviderClient({ dialect: 'openai', baseUrl, apiKey: null }, { clock: stopped, maxRetryAfterMs: 24 * 3_600_000 });
    const err = await client.retrieve('video_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).retryAfterMs).toBe(90_000);
  });
});
