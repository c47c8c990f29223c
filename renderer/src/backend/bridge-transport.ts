// Electron: the preload bridge carries the envelopes over IPC. It never drops, so no auth, no reconnect.
import type { ContractTransport } from '@shared/client/transport';
import type { SoraDeskBridge } from '@shared/contract/bridge';

export function createBridgeTransport(bridge: SoraDeskBridge): ContractTransport {
  return {
    open(handlers, options) {
      const off = bridge.onMessage((msg) => handlers.onMessage(msg));
      for (const frame of options?.firstFrames ?? []) bridge.send(frame);
      return { send: (envelope) => bridge.send(envelope), close: off };
    },
  };
}
