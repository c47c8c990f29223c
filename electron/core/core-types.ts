// What the shell (Electron) and the CLI (`npm run serve`) hand to createCore, and what they get back.
import type { ServerPayload } from '@shared/contract/messages';
import type { Clock } from './clock';
import type { ExportDiagnosticsOptions, ExportedDiagnostics } from './diagnostics/export-diagnostics';
import type { Logger } from './log';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsBackend } from './settings/settings-backend';
import type { Connection, Hub, MediaSource } from './server/door-types';
import type { UpdaterPort } from './update-types';

export interface CoreDeps {
  /** Where tasks.json etc. live; locked for one writer. */
  dataDir: string;
  settings: SettingsBackend;
  secrets: SecretStore;
  logger: Logger;
  clock?: Clock;
  /** Where the built renderer is (served at / in browser mode); null: serve a "UI not built yet" page. */
  rendererDir?: string | null;
  /** Extra allowed WebSocket origins (the desktop renderer's app origin). */
  extraOrigins?: string[];
  /** Port for the WebSocket/HTTP door: 0 picks a free one. */
  port?: number;
  /** Where finished videos are stored when no libraryDir is set. */
  defaultLibraryDir?: string;
  /** The OS locale (Electron: app.getLocale()); the default UI language follows it. Default: Node's Intl locale. */
  locale?: string;
  /** How long the built-in demo provider's jobs take (default 15 s). */
  demoJobDurationMs?: number;
  /** Where the demo provider's sample.mp4 and thumbnail.jpg are (the shell's bundle passes its own; default resources/demo). */
  demoSampleDir?: string;
  /** The desktop self-updater (electron-updater); absent under `npm run serve` (state 'unsupported'). */
  updater?: UpdaterPort;
  /** What a diagnostics bundle says about the app (default: version unknown, mode serve, logs in <dataDir>/logs). */
  diagnostics?: { appVersion: string; mode: 'desktop' | 'serve' | 'cli'; logDir?: string; crashDumpsDir?: string };
}

export interface ConnectionInfo {
  wsUrl: string;
  httpUrl: string;
  token: string;
  pid: number;
}

export interface Core {
  /** Starts the simulator, the store, the poller and the WebSocket door; writes connection.json (0600). */
  start(): Promise<ConnectionInfo>;
  /** Flushes writes, closes doors, removes connection.json, releases the lock. Idempotent. */
  stop(): Promise<void>;
  readonly hub: Hub;
  /** What start() found that clients are told when they connect (a recovered database, an unreachable keychain). */
  readonly startupNotices: readonly ServerPayload<'notice'>[];
  /** Writes a diagnostics zip (the `exportDiagnostics` message does the same). */
  exportDiagnostics(opts?: ExportDiagnosticsOptions): Promise<ExportedDiagnostics>;
  /** Library media for the desktop app protocol (`app://soradesk/media/<videoId>`); the same source as GET /media. */
  readonly media?: MediaSource;
  /**
   * "Lock": drops the provider keys held in memory, so the next upstream call reads the keychain again
   * (and finds it locked, if it is). The shell calls it when the OS screen locks.
   */
  forgetProviderKeys(): void;
  /** The in-process door: the shell wires it to ipcMain. The connection is authenticated. */
  openLocalConnection(send: Connection['send']): { conn: Connection; receive(frame: unknown): Promise<void>; close(): void };
}
