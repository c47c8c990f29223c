// Electron: the preload bridge carries the envelopes over IPC. It never drops, so no auth, no reconnect.
import type { SoraDeskBridge } from '@shared/contract/bridge';
import type { Connection, ConnectionHandlers, Transport } from './transport';

export function createBridgeTransport(bridge: SoraDeskBridge): Transport {
  return {
    persistent: true,
    async open(handlers: ConnectionHandlers): Promise<Connection> {
      const off = bridge.onMessage((msg) => handlers.onMessage(msg));
      return { send: (envelope) => bridge.send(envelope), close: off };
    },
  };
}
