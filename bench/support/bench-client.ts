// The benches' one client of SoraDesk's WebSocket API: connect, auth, a request matched to its reply by
// id, and pushes handed to a listener. Every bench talks to the service through this file only, so it
// can be swapped for the shared contract client in one place.
import WebSocket from 'ws';

export interface BenchMessage {
  type: string;
  id?: string | number;
  payload: Record<string, unknown>;
}

export interface BenchClient {
  request(type: string, payload?: Record<string, unknown>): Promise<BenchMessage>;
  /** Every message without a request id (pushes), parsed. */
  onPush(listener: (msg: BenchMessage) => void): void;
  close(): Promise<void>;
}

export async function connectBenchClient(wsUrl: string, token: string): Promise<BenchClient> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const pending = new Map<string, (m: BenchMessage) => void>();
  const listeners: Array<(m: BenchMessage) => void> = [];
  let seq = 0;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as BenchMessage;
    const key = msg.id === undefined ? undefined : String(msg.id);
    const waiter = key === undefined ? undefined : pending.get(key);
    if (waiter) {
      pending.delete(key!);
      waiter(msg);
    } else if (key === undefined) {
      for (const l of listeners) l(msg);
    }
  });
  const client: BenchClient = {
    request(type, payload) {
      const id = `b${++seq}`;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify(payload === undefined ? { type, id } : { type, id, payload }));
      });
    },
    onPush: (listener) => void listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  const auth = await client.request('auth', { token });
  if (auth.type !== 'authenticated') throw new Error(`auth failed: ${JSON.stringify(auth.payload)}`);
  return client;
}
