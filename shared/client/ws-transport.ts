// A WebSocket to the core, authenticated by the first frame. The socket is made by the caller, so
// the same code runs in the browser (`new WebSocket(url)`) and under Node with the `ws` package
// (`(url) => new WebSocket(url)`, headers and all): the renderer, tests, the bench and scripts.
import type { ServerEnvelope } from '../contract/messages';
import { AuthRejectedError, type ContractLink, type ContractTransport, type LinkHandlers, type OpenOptions } from './transport';

/**
 * The subset of the WHATWG WebSocket that both the browser's and the `ws` package's provide. The
 * handlers take `never` so either socket fits as it is; the events used are spelled out below.
 */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

export interface WsTransportOptions {
  url: string;
  /** Sent as `auth` before the link counts as open; without it the caller authenticates (or tests the door). */
  token?: string;
  openSocket(url: string): SocketLike;
}

const AUTH_ID = '__auth';
const OPEN = 1;
const CLOSE_UNAUTHORIZED = 4401;

export function createWsTransport(opts: WsTransportOptions): ContractTransport {
  return {
    open(handlers: LinkHandlers, options: OpenOptions = {}): Promise<ContractLink> {
      return new Promise((resolve, reject) => {
        const socket = opts.openSocket(opts.url);
        let ready = false;
        const link: ContractLink = {
          send: (envelope) => {
            if (socket.readyState === OPEN) socket.send(JSON.stringify(envelope));
          },
          close: () => socket.close(1000),
        };
        const becomeReady = () => {
          ready = true;
          resolve(link);
        };
        socket.onopen = () => {
          if (opts.token !== undefined) socket.send(JSON.stringify({ type: 'auth', id: AUTH_ID, payload: { token: opts.token } }));
          for (const frame of options.firstFrames ?? []) socket.send(JSON.stringify(frame));
          if (opts.token === undefined) becomeReady();
        };
        socket.onerror = () => undefined; // the close event that follows carries what we need
        socket.onmessage = (ev: { data: unknown }) => {
          let msg: ServerEnvelope;
          try {
            msg = JSON.parse(String(ev.data)) as ServerEnvelope;
          } catch {
            return; // the core only sends JSON; ignore anything else rather than crash the caller
          }
          if (ready) {
            handlers.onMessage(msg);
            return;
          }
          if (msg.id !== AUTH_ID) return;
          if (msg.type === 'authenticated') {
            becomeReady();
          } else {
            const message = (msg.payload as { message?: string } | undefined)?.message ?? 'authentication failed';
            reject(new AuthRejectedError(message));
            socket.close();
          }
        };
        socket.onclose = (ev: { code: number }) => {
          if (ready) {
            handlers.onClose(ev.code);
            return;
          }
          if (ev.code === CLOSE_UNAUTHORIZED) reject(new AuthRejectedError('the token was refused'));
          else reject(new Error(`connection closed (${ev.code})`));
        };
      });
    },
  };
}
