// The in-process door for Electron IPC: the app's own renderer, trusted by construction (it is
// authenticated as 'local' from the start), but its frames pass the same checks as a socket's.
import { randomUUID } from 'node:crypto';
import type { Connection, Hub } from './door-types';
import type { Router } from './router';

export const LOCAL_USER_ID = 'local';

export interface LocalConnection {
  conn: Connection;
  /** One envelope object from the renderer (already structured-cloned, so no JSON parsing). */
  receive(frame: unknown): Promise<void>;
  /** Drops the connection from every room; later frames are ignored. */
  close(): void;
}

export interface LocalDoor {
  openLocalConnection(send: Connection['send']): LocalConnection;
}

export function createLocalDoor(router: Router, hub: Hub): LocalDoor {
  return {
    openLocalConnection(send) {
      let open = true;
      const conn: Connection = {
        id: randomUUID(),
        door: 'ipc',
        userId: LOCAL_USER_ID,
        send(msg) {
          if (!open) return;
          // The renderer may be gone (window closed) before close() runs; a push must not throw.
          try {
            send(msg);
          } catch {
            open = false;
          }
        },
      };
      hub.add(conn);
      hub.joinUser(conn, LOCAL_USER_ID);
      return {
        conn,
        async receive(frame) {
          if (!open) return;
          await router.dispatch(conn, frame, { parseText: false });
        },
        close() {
          open = false;
          hub.drop(conn);
        },
      };
    },
  };
}
