// DIR/connection.json: how a client finds the running service of a data dir (its door and this launch's
// token). Written by the core at start (mode 0600), removed at stop; read by the `soradesk` command.
// A module of its own so a client reads it without loading the core.
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionInfo } from './core-types';

export const CONNECTION_FILE = 'connection.json';

/** Writes connection.json atomically with mode 0600 (it holds the token). */
export function writeConnectionFile(dataDir: string, info: ConnectionInfo): void {
  const file = path.join(dataDir, CONNECTION_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** The running service's connection, or null: none (nothing runs), unreadable or not one. */
export function readConnectionFile(dataDir: string): ConnectionInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, CONNECTION_FILE), 'utf8')) as Partial<ConnectionInfo>;
    return typeof info.wsUrl === 'string' && typeof info.httpUrl === 'string' && typeof info.token === 'string' && typeof info.pid === 'number'
      ? (info as ConnectionInfo)
      : null;
  } catch {
    return null;
  }
}
