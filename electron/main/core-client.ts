// The shell's own client of the core: the ContractClient over an in-process local connection, like
// the renderer's, used by the tray, notifications and "show in folder". Requests and pushes as any client.
import { ContractClient } from '@shared/client/contract-client';
import type { ContractTransport } from '@shared/client/transport';
import type { Core } from '../core/core-types';

export type ShellClient = ContractClient;

/** The local door never drops: the link is open as soon as it is made, and stays open until stop(). */
function localTransport(core: Pick<Core, 'openLocalConnection'>): ContractTransport {
  return {
    open(handlers) {
      const local = core.openLocalConnection((msg) => handlers.onMessage(msg));
      return { send: (envelope) => local.receive(envelope), close: () => local.close() };
    },
  };
}

export function openShellClient(core: Pick<Core, 'openLocalConnection'>): ShellClient {
  const client = new ContractClient(localTransport(core), { reconnect: false, idPrefix: 'shell-' });
  client.start();
  return client;
}
