// Every word an upstream writes about a job or a failure passes here on its way into the service (and
// from there into the task store, the archive, pushes, replies, notices and logs): a job's `error` and
// `errorCode`, and the message of every error a call throws. Keys come out (secrets/secret-redaction.ts).
// The service wraps each client it builds, so no caller has to remember.
import { redactSecrets } from '../secrets/secret-redaction';
import type { ProviderClient, UpstreamJob } from './provider-client';

export function redactedClient(client: ProviderClient, apiKey: string | null): ProviderClient {
  const clean = (text: string): string => redactSecrets(text, [apiKey]);
  const cleanJob = (job: UpstreamJob): UpstreamJob => ({
    ...job,
    error: job.error === null ? null : clean(job.error),
    errorCode: job.errorCode === null ? null : clean(job.errorCode),
  });
  const cleanResult = (value: unknown): unknown => {
    if (isJob(value)) return cleanJob(value);
    if (value && typeof value === 'object' && Array.isArray((value as { jobs?: unknown }).jobs)) {
      const list = value as { jobs: unknown[] };
      return { ...list, jobs: list.jobs.map((j) => (isJob(j) ? cleanJob(j) : j)) };
    }
    return value;
  };
  const cleanError = (err: unknown): never => {
    if (err instanceof Error) {
      err.message = clean(err.message);
      const opts = (err as { opts?: Record<string, unknown> }).opts;
      if (opts && typeof opts.upstreamMessage === 'string') opts.upstreamMessage = clean(opts.upstreamMessage);
    }
    throw err;
  };
  // Every method, whatever the dialect adds: a result is cleaned, a rejection's message too.
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          return cleanError(err);
        }
        return result instanceof Promise ? result.then(cleanResult, cleanError) : result;
      };
    },
  });
}

function isJob(value: unknown): value is UpstreamJob {
  return !!value && typeof value === 'object' && 'externalId' in value && 'error' in value && 'errorCode' in value;
}
