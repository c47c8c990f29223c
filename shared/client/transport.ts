// The seam between the ContractClient and a way to reach the core: the Electron bridge, a
// WebSocket (browser or Node), or the shell's in-process connection. Every transport carries the
// same envelopes; only opening and closing differ.
import type { ClientEnvelope, ServerEnvelope } from '../contract/messages';

export interface LinkHandlers {
  onMessage(msg: ServerEnvelope): void;
  /** The link dropped after it was open; `code` is the WebSocket close code when there is one. */
  onClose(code: number | null): void;
}

export interface ContractLink {
  /** Sends one envelope; a returned promise that rejects fails the request it carried. */
  send(envelope: ClientEnvelope): void | Promise<void>;
  close(): void;
}

export interface OpenOptions {
  /**
   * Requests sent as soon as the link can carry them, before it counts as ready: over a WebSocket right
   * behind the auth frame (the door serves them once auth succeeds), so their answers do not wait for
   * a round trip through a busy page. Their replies come to `onMessage` like any other.
   */
  firstFrames?: readonly ClientEnvelope[];
}

export interface ContractTransport {
  /** A ready link (authenticated when the transport needs it); in-process transports may return it at once. */
  open(handlers: LinkHandlers, options?: OpenOptions): ContractLink | Promise<ContractLink>;
}

/** Thrown by `open` when the core refused our credentials: retrying will not help. */
export class AuthRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthRejectedError';
  }
}
