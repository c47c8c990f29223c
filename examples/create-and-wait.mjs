#!/usr/bin/env node
// Makes one video through a running SoraDesk (the desktop app or `npm run serve`) and waits for it.
//
//   node examples/create-and-wait.mjs "A calico cat playing a piano" [--data-dir DIR] [--provider ID]
//
// It reads DIR/connection.json (written by the running service, mode 0600), authenticates with its
// token, sends createTask, prints each progress change, and exits when the task ends:
// 0 completed (prints the kept file or the video link), 1 failed or cancelled (prints why),
// 2 bad arguments, 3 no SoraDesk running on that data dir.
// With the built-in demo provider a prompt containing [fail] fails halfway and [slow] never finishes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

// `ws` is the project's own dependency: resolved from the project, wherever this file is run from.
const require = createRequire(new URL('../package.json', import.meta.url));
const WebSocket = require('ws');

/** The desktop app's data folder, which `npm run serve` uses too unless given --data-dir. */
function defaultDataDir() {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'SoraDesk');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'SoraDesk');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'SoraDesk');
}

function parseArgs(argv) {
  const opts = { dataDir: defaultDataDir(), providerId: undefined, prompt: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir') opts.dataDir = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--provider') opts.providerId = argv[++i];
    else opts.prompt = argv[i];
  }
  if (!opts.prompt) {
    console.error('Usage: node examples/create-and-wait.mjs "prompt" [--data-dir DIR] [--provider ID]');
    process.exit(2);
  }
  return opts;
}

function readConnection(dataDir) {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'connection.json'), 'utf8'));
  } catch {
    console.error(`No SoraDesk is running on ${dataDir} (no connection.json). Start the app, or \`npm run serve -- --data-dir ${dataDir}\`.`);
    process.exit(3);
  }
}

const opts = parseArgs(process.argv.slice(2));
const { wsUrl, httpUrl, token } = readConnection(opts.dataDir);
const ws = new WebSocket(wsUrl);
let videoId = null;
let lastLine = '';

const finish = (code, line) => {
  (code === 0 ? console.log : console.error)(line);
  ws.close();
  process.exitCode = code;
};

ws.on('error', (err) => {
  console.error(`Could not reach SoraDesk at ${wsUrl} (${err.message}); is it still running?`);
  process.exit(3);
});
ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'auth', id: 'auth', payload: { token } }));
  const payload = { prompt: opts.prompt, ...(opts.providerId ? { providerId: opts.providerId } : {}) };
  ws.send(JSON.stringify({ type: 'createTask', id: 'create', payload }));
});
ws.on('message', (data) => {
  const msg = JSON.parse(String(data));
  if (msg.type === 'error') return finish(msg.id === 'auth' ? 3 : 1, `SoraDesk refused: ${msg.payload.code}: ${msg.payload.message}`);
  const task = msg.type === 'taskCreated' ? msg.payload.task : msg.type === 'taskUpdated' ? msg.payload : null;
  if (!task) return;
  if (msg.id === 'create') videoId = task.videoId;
  if (task.videoId !== videoId) return; // other tasks' pushes
  const line = `${task.status} ${task.progress}%`;
  if (line !== lastLine) console.log(line);
  lastLine = line;
  // The app keeps the file in its library soon after; until then the service streams it.
  if (task.status === 'COMPLETED') finish(0, `Done: ${task.localPath ?? `GET ${httpUrl}media/${task.videoId}?variant=video&token=<token from connection.json>`}`);
  else if (task.status === 'FAILED' || task.status === 'CANCELLED') finish(1, `${task.status}: ${task.error ?? 'no reason given'}`);
});
