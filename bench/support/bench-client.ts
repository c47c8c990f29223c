// The benches' one way to talk to SoraDesk: the shared ContractClient over a `ws` socket, with an
// untyped face (a bench names requests by string and looks at the reply's type), so a reply that is an
// `error` comes back as a message rather than a throw. Every bench goes through this file.
import WebSocket from 'ws';
import { ContractClient, ContractError } from '@shared/client/contract-client';
import { createWsTransport } from '@shared/client/ws-transport';
import type { RequestType } from '@shared/contract/messages';

export interface BenchMessage {
  type: string;
  payload: Record<string, unknown>;
}

export interface BenchClient {
  request(type: string, payload?: Record<string, unknown>): Promise<BenchMessage>;
  /** Every message without a request id (pushes). */
  onPush(listener: (msg: BenchMessage) => void): void;
  close(): Promise<void>;
}

export async function connectBenchClient(wsUrl: string, token: string): Promise<BenchClient> {
  const client = new ContractClient(createWsTransport({ url: wsUrl, token, openSocket: (url) => new WebSocket(url) }), { reconnect: false });
  await client.connect();
  // The typed request, used untyped: the bench passes what the contract wants under names it spells itself.
  const requestAny = client.requestEnvelope.bind(client) as (type: RequestType, payload?: Record<string, unknown>) => Promise<BenchMessage>;
  return {
    async request(type, payload) {
      try {
        return await requestAny(type as RequestType, payload);
      } catch (err) {
        if (err instanceof ContractError && err.envelope) return err.envelope as unknown as BenchMessage;
        throw err;
      }
    },
    onPush: (listener) => void client.onPush((m) => listener(m as unknown as BenchMessage)),
    close: async () => client.stop(),
  };
}
