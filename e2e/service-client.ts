// Drives the service under test the way a local script would: the ContractClient over the `ws`
// package, with the token from connection.json. For setting the scene and checking the outcome.
import WebSocket from 'ws';
import { ContractClient } from '@shared/client/contract-client';
import { createWsTransport } from '@shared/client/ws-transport';
import type { TaskStatus } from '@shared/contract/values';
import type { ConnectionInfo } from '../electron/core/core-types';

export async function serviceClient(conn: ConnectionInfo): Promise<ContractClient> {
  const client = new ContractClient(createWsTransport({ url: conn.wsUrl, token: conn.token, openSocket: (u) => new WebSocket(u) }), { reconnect: false });
  await client.connect();
  return client;
}

/** Waits until the task has `status` (asking the service, not the page). */
export async function untilStatus(client: ContractClient, videoId: string, status: TaskStatus, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const task = await client.request('getTask', { videoId });
    if (task.status === status) return;
    if (Date.now() > deadline) throw new Error(`${videoId} is ${task.status}, not ${status}, after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
