// The seam between the backend client and the two ways to reach the core (IPC bridge or WebSocket).
// Both carry the same envelopes; only opening and closing differ.
import type { ClientEnvelope, ServerEnvelope } from '@shared/contract/messages';

export interface ConnectionHandlers {
  onMessage(msg: ServerEnvelope): void;
  /** The link dropped after it was open; `code` is the WebSocket close code when there is one. */
  onClose(code: number | null): void;
}

export interface Connection {
  send(envelope: ClientEnvelope): void;
  close(): void;
}

/** Thrown by `open` when the core refused our credentials: retrying will not help. */
export class AuthRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthRejectedError';
  }
}

export interface Transport {
  /** Resolves with a ready connection (authenticated when the transport needs it). */
  open(handlers: ConnectionHandlers): Promise<Connection>;
  /** True when disconnects are impossible (the Electron bridge): no reconnect machinery needed. */
  readonly persistent: boolean;
}
