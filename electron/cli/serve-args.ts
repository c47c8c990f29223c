// Parses `npm run serve -- --data-dir DIR --port N --secret-store keychain|memory --log-level L --no-ui`.
import os from 'node:os';
import path from 'node:path';

export interface ServeOptions {
  dataDir: string;
  port: number;
  secretStore: 'keychain' | 'memory';
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Serve the built UI at `/` (false: `--no-ui`, the WebSocket API only). */
  ui: boolean;
}

/** The folder the desktop app uses too (Electron's app.getPath('userData') for productName SoraDesk). */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'SoraDesk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'SoraDesk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'SoraDesk');
}

export const USAGE = `Usage: npm run serve -- [--data-dir DIR] [--port N] [--secret-store keychain|memory] [--log-level LEVEL] [--no-ui]
  --data-dir      where tasks, settings, logs/ and connection.json live (default: ${defaultDataDir()})
  --port          loopback port for the UI and the WebSocket; 0 picks a free one (default 0)
  --secret-store  keychain (default): API keys in the OS keychain; memory: keys kept only for this run
  --log-level     debug, info (default), warn or error: what goes to the console and DIR/logs/soradesk.log
  --no-ui         run only the WebSocket API (no \`npm run build\` needed; the page at / says so)
Exit codes: 0 stopped, 1 unexpected error (see the log), 2 bad option, 3 data dir in use by another
SoraDesk, 4 port in use, 5 data dir not writable, 6 disk full, 7 UI not built.`;

export function parseServeArgs(argv: string[]): ServeOptions {
  const opts: ServeOptions = { dataDir: defaultDataDir(), port: 0, secretStore: 'keychain', logLevel: 'info', ui: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--data-dir': opts.dataDir = path.resolve(value()); break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new Error(`--port must be 0-65535, got "${v}"`);
        opts.port = n;
        break;
      }
      case '--secret-store': {
        const v = value();
        if (v !== 'keychain' && v !== 'memory') throw new Error(`--secret-store must be keychain or memory, got "${v}"`);
        opts.secretStore = v;
        break;
      }
      case '--log-level': {
        const v = value();
        if (!['debug', 'info', 'warn', 'error'].includes(v)) throw new Error(`--log-level must be debug, info, warn or error`);
        opts.logLevel = v as ServeOptions['logLevel'];
        break;
      }
      case '--no-ui': opts.ui = false; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return opts;
}
