// Browser mode: a WebSocket to the core, authenticated by the first frame. The constructor is
// injectable so the same code runs under Node in tests against a real `ws` server.
import type { ServerEnvelope } from '@shared/contract/messages';
import { AuthRejectedError, type Connection, type ConnectionHandlers, type Transport } from './transport';

/** The subset of the WHATWG WebSocket both the browser's and the `ws` package's provide. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}
export type SocketConstructor = new (url: string) => SocketLike;

const AUTH_ID = '__auth';
const OPEN = 1;

export function createWsTransport(url: string, token: string, Socket: SocketConstructor): Transport {
  return {
    persistent: false,
    open(handlers: ConnectionHandlers): Promise<Connection> {
      return new Promise((resolve, reject) => {
        const socket = new Socket(url);
        let ready = false;
        const connection: Connection = {
          send: (envelope) => {
            if (socket.readyState === OPEN) socket.send(JSON.stringify(envelope));
          },
          close: () => socket.close(1000),
        };
        socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', id: AUTH_ID, payload: { token } }));
        socket.onerror = () => undefined; // the close event that follows carries what we need
        socket.onmessage = (ev) => {
          let msg: ServerEnvelope;
          try {
            msg = JSON.parse(String(ev.data)) as ServerEnvelope;
          } catch {
            return; // the core only sends JSON; ignore anything else rather than crash the UI
          }
          if (!ready) {
            if (msg.id !== AUTH_ID) return;
            if (msg.type === 'authenticated') {
              ready = true;
              resolve(connection);
            } else {
              const message = (msg.payload as { message?: string } | undefined)?.message ?? 'authentication failed';
              reject(new AuthRejectedError(message));
              socket.close();
            }
            return;
          }
          handlers.onMessage(msg);
        };
        socket.onclose = (ev) => {
          if (!ready) {
            if (ev.code === 4401) reject(new AuthRejectedError('the token was refused'));
            else reject(new Error(`connection closed (${ev.code})`));
            return;
          }
          handlers.onClose(ev.code);
        };
      });
    },
  };
}
