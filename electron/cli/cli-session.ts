// How a `soradesk` command reaches the task service: the SoraDesk already running on the data dir (the
// desktop app or `npm run serve`, found through its connection.json), or, when none runs, a core of its
// own on the same data dir (the data-dir lock keeps one writer), stopped again after the command.
// Either way the command speaks the protocol over the WebSocket door with the ContractClient.
import WebSocket from 'ws';
import { ContractClient } from '@shared/client/contract-client';
import { createWsTransport } from '@shared/client/ws-transport';
import { readConnectionFile } from '../core/connection-file';
import type { ConnectionInfo } from '../core/core-types';
import { CLI_EXIT, CliError } from './cli-errors';
import { explainStartFailure, prepareDataDir } from './serve-startup';

export interface ServiceSession {
  readonly client: ContractClient;
  /** `http://127.0.0.1:N/`: `/media/<id>` with the token. */
  readonly httpUrl: string;
  readonly token: string;
  /** This process runs the core itself (no SoraDesk was running): it stops when the command ends. */
  readonly ownCore: boolean;
  /** Closes the link; an own core is stopped (pending writes flushed, the lock released). */
  close(): Promise<void>;
}

export interface SessionOptions {
  dataDir: string;
  /** How long a SoraDesk that accepts the TCP connection may take to answer the WebSocket upgrade. */
  handshakeTimeoutMs?: number;
  /** A line for the user on stderr (what start-up found, e.g. a recovered database). */
  note(line: string): void;
}

// A SoraDesk that wrote connection.json answers an upgrade in milliseconds; one that does not within this is hung.
const HANDSHAKE_TIMEOUT_MS = 3000;

/** A one-shot client on the door of `info`; rejects with why the link could not be made. */
async function connectTo(info: ConnectionInfo, handshakeTimeoutMs: number): Promise<ContractClient> {
  let socketError: Error | null = null;
  const transport = createWsTransport({
    url: info.wsUrl,
    token: info.token,
    openSocket: (url) => {
      const ws = new WebSocket(url, { handshakeTimeout: handshakeTimeoutMs });
      ws.on('error', (err) => (socketError ??= err));
      return ws;
    },
  });
  const client = new ContractClient(transport, { reconnect: false, idPrefix: 'cli-' });
  try {
    await client.connect();
  } catch (err) {
    client.stop();
    throw socketError ?? err;
  }
  return client;
}

function remoteSession(client: ContractClient, info: ConnectionInfo): ServiceSession {
  return { client, httpUrl: info.httpUrl, token: info.token, ownCore: false, close: async () => client.stop() };
}

const unreachable = (line: string) => new CliError(CLI_EXIT.unreachable, line, 'UNREACHABLE');

/** Runs the core in this process on `dataDir`; `lockedBy` when another SoraDesk holds the data dir. */
async function ownCoreSession(opts: SessionOptions, handshakeTimeoutMs: number): Promise<ServiceSession | { lockedBy: number }> {
  const { dataDir } = opts;
  const ctx = { dataDir, port: 0 };
  const cannotStart = (err: unknown) =>
    unreachable(`No SoraDesk is running on ${dataDir}, and the command could not start one: ${explainStartFailure(err, ctx)?.line ?? (err as Error).message}`);
  try {
    prepareDataDir(dataDir);
  } catch (err) {
    throw cannotStart(err);
  }
  // Loaded only here: reaching a running SoraDesk needs none of the core.
  const { createNodeCore } = await import('./node-core');
  const { core, fileLogger } = createNodeCore({ dataDir, port: 0, secretStore: 'keychain', logLevel: 'info', rendererDir: null, console: false, mode: 'cli' });
  let info: ConnectionInfo;
  try {
    info = await core.start();
  } catch (err) {
    await core.stop().catch(() => undefined);
    const locked = err as { code?: string; pid?: number };
    if (locked.code === 'DATA_DIR_LOCKED') return { lockedBy: locked.pid ?? 0 };
    fileLogger.error('the soradesk command could not start its own service', { err });
    throw cannotStart(err);
  }
  // A recovered database is news; an unreachable keychain is in the log, and a request that needs a key says so itself.
  for (const n of core.startupNotices) if (n.code !== 'KEYCHAIN_UNAVAILABLE') opts.note(`${n.level === 'error' ? 'Error' : 'Warning'}: ${n.message}`);
  let client: ContractClient;
  try {
    client = await connectTo(info, handshakeTimeoutMs);
  } catch (err) {
    await core.stop();
    throw unreachable(`SoraDesk started on ${dataDir} but its door at ${info.wsUrl} did not answer (${(err as Error).message}).`);
  }
  return {
    client,
    httpUrl: info.httpUrl,
    token: info.token,
    ownCore: true,
    async close() {
      client.stop();
      await core.stop();
    },
  };
}

export async function openSession(opts: SessionOptions): Promise<ServiceSession> {
  const handshakeTimeoutMs = opts.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
  const running = readConnectionFile(opts.dataDir);
  let whyNot = 'no connection.json';
  if (running) {
    try {
      return remoteSession(await connectTo(running, handshakeTimeoutMs), running);
    } catch (err) {
      // A crashed SoraDesk leaves its file behind: its lock is stale too, and taken over below.
      whyNot = `${running.wsUrl} did not answer: ${(err as Error).message}`;
    }
  }
  const own = await ownCoreSession(opts, handshakeTimeoutMs);
  if ('client' in own) return own;
  // Another SoraDesk holds the data dir. One that was just starting has written its file by now.
  const now = readConnectionFile(opts.dataDir);
  if (now && now.token !== running?.token) {
    try {
      return remoteSession(await connectTo(now, handshakeTimeoutMs), now);
    } catch (err) {
      whyNot = `${now.wsUrl} did not answer: ${(err as Error).message}`;
    }
  }
  throw unreachable(
    `Another SoraDesk (pid ${own.lockedBy}) holds the data directory ${opts.dataDir} but cannot be reached (${whyNot}). ` +
      'Wait until it has started, or stop it, then try again; or choose another folder with --data-dir DIR.',
  );
}
