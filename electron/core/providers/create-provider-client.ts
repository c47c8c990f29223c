// Builds the client for a provider connection. A fresh one per use is cheap, and it reads the
// key the SecretStore gave at that moment, so a changed key takes effect at once.
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { UpstreamHttp } from './http';
import { createOpenAiClient } from './openai';
import type { ProviderClient, ProviderConnection } from './provider-client';
import { createSoraClient } from './sora';

export interface ProviderClientOptions {
  logger?: Logger;
  /** Cap for a Retry-After wait (default 10 minutes). */
  maxRetryAfterMs?: number;
  /** The core's clock (Retry-After as a date is read against it). */
  clock?: Pick<Clock, 'now'>;
}

export function createProviderClient(conn: ProviderConnection, opts: ProviderClientOptions = {}): ProviderClient {
  const http = new UpstreamHttp({
    baseUrl: conn.baseUrl,
    apiKey: conn.apiKey,
    authStyle: conn.dialect === 'openai' ? 'bearer' : 'raw',
    timeoutMs: conn.timeoutMs,
    maxRetryAfterMs: opts.maxRetryAfterMs,
    logger: opts.logger?.child({ dialect: conn.dialect }),
    clock: opts.clock,
  });
  return conn.dialect === 'openai' ? createOpenAiClient(http) : createSoraClient(http);
}
