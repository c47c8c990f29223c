// The shell's own client of the core: a local (in-process) connection like the renderer's, used by the
// tray, notifications and "show in folder". It needs no new core API: requests and pushes as any client.
import type { ServerEnvelope } from '@shared/contract/messages';
import type { Core } from '../core/core-types';

export interface ShellClient {
  /** Sends a request and resolves with its reply (an `error` reply rejects). */
  request(type: string, payload?: Record<string, unknown>): Promise<ServerEnvelope>;
  /** Messages without an id (pushes, broadcasts). */
  onPush(cb: (msg: ServerEnvelope) => void): () => void;
  close(): void;
}

export class ShellRequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ShellRequestError';
  }
}

export function openShellClient(core: Pick<Core, 'openLocalConnection'>): ShellClient {
  let nextId = 1;
  const waiting = new Map<string, { resolve(msg: ServerEnvelope): void; reject(err: Error): void }>();
  const pushListeners = new Set<(msg: ServerEnvelope) => void>();

  const local = core.openLocalConnection((msg) => {
    if (msg.id === undefined) {
      for (const cb of pushListeners) cb(msg);
      return;
    }
    const key = String(msg.id);
    const pending = waiting.get(key);
    if (!pending) return;
    // requestMultipleTaskStatus answers several times; the shell never sends it, so the first reply settles.
    waiting.delete(key);
    if (msg.type === 'error') {
      const p = msg.payload as { code?: string; message?: string };
      pending.reject(new ShellRequestError(p.code ?? 'INTERNAL', p.message ?? 'request failed'));
    } else {
      pending.resolve(msg);
    }
  });

  return {
    request(type, payload = {}) {
      const id = `shell-${nextId++}`;
      return new Promise<ServerEnvelope>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        local.receive({ type, id, payload }).catch((err: unknown) => {
          waiting.delete(id);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      });
    },
    onPush(cb) {
      pushListeners.add(cb);
      return () => pushListeners.delete(cb);
    },
    close() {
      local.close();
      for (const p of waiting.values()) p.reject(new Error('shell client closed'));
      waiting.clear();
    },
  };
}
