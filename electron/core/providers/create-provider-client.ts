// Builds the client for a provider connection. A fresh one per use is cheap, and it reads the
// key the SecretStore gave at that moment, so a changed key takes effect at once.
import { DIALECT_INFO, type ProviderDialect } from '@shared/contract/dialects';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { createFalClient } from './fal';
import { createGeminiClient } from './gemini';
import { UpstreamHttp, type AuthStyle } from './http';
import { createOpenAiClient } from './openai';
import type { ProviderClient, ProviderConnection } from './provider-client';
import { createReplicateClient } from './replicate';
import { createSoraClient } from './sora';

export interface ProviderClientOptions {
  logger?: Logger;
  /** Cap for a Retry-After wait (default 10 minutes). */
  maxRetryAfterMs?: number;
  /** The core's clock (Retry-After as a date is read against it). */
  clock?: Pick<Clock, 'now'>;
}

const AUTH: Record<ProviderDialect, AuthStyle> = { openai: 'bearer', sora: 'raw', gemini: 'goog', fal: 'key', replicate: 'bearer' };

export function createProviderClient(conn: ProviderConnection, opts: ProviderClientOptions = {}): ProviderClient {
  const http = new UpstreamHttp({
    baseUrl: conn.baseUrl,
    apiKey: conn.apiKey,
    authStyle: AUTH[conn.dialect],
    timeoutMs: conn.timeoutMs,
    maxRetryAfterMs: opts.maxRetryAfterMs,
    originAliases: conn.originAliases,
    mediaHosts: DIALECT_INFO[conn.dialect].mediaHosts,
    logger: opts.logger?.child({ dialect: conn.dialect }),
    clock: opts.clock,
  });
  switch (conn.dialect) {
    case 'openai': return createOpenAiClient(http);
    case 'sora': return createSoraClient(http);
    case 'gemini': return createGeminiClient(http);
    case 'fal': return createFalClient(http);
    case 'replicate': return createReplicateClient(http);
  }
}
