// The library inside the whole core, as a client meets it: a demo task over the real WebSocket ends
// with a playable file on disk, announced only once it is there, and served by GET /media.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { createCore } from '../core';
import type { ConnectionInfo, Core } from '../core-types';
import { silentLogger } from '../log';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { createConfBackend } from '../settings/conf-backend';
import { ApiClient } from '../test-support/api-client';
import { SAMPLE_VIDEO } from './test-support/library-harness';

let dataDir: string;
let core: Core;
let info: ConnectionInfo;
let client: ApiClient;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-library-core-'));
  core = createCore({ dataDir, settings: createConfBackend({ cwd: dataDir }), secrets: new MemorySecretStore(), logger: silentLogger, demoJobDurationMs: 300 });
  info = await core.start();
  client = await ApiClient.connect(info.wsUrl, info.token);
  await client.request('updateSettings', { pollIntervalMs: 250 });
});

afterEach(async () => {
  await client.close();
  await core.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
}

describe('the library in the core', () => {
  it('a finished demo task is kept under the data dir; the push naming the file comes after the file is whole', async () => {
    const created = await client.request('createTask', { prompt: 'A calico cat playing a piano on stage' });
    const { videoId } = (created.payload as { task: TaskView }).task;
    let fileAtPush: number | null = null;
    const pushed = await client.waitFor((m: ServerEnvelope) => {
      const v = m.payload as TaskView;
      if (m.type !== 'taskUpdated' || v.videoId !== videoId || !v.localPath) return false;
      fileAtPush = fs.existsSync(v.localPath) ? fs.statSync(v.localPath).size : -1;
      return true;
    }, { includePast: true });
    const view = pushed.payload as TaskView;
    expect(view.status).toBe('COMPLETED');
    expect(fileAtPush).toBe(SAMPLE_VIDEO.length);
    expect(path.dirname(view.localPath!)).toBe(path.join(dataDir, 'videos'));
    const file = fs.readFileSync(view.localPath!);
    expect(file.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(file.equals(SAMPLE_VIDEO)).toBe(true);
    // Stored, not only pushed.
    const got = await client.request('getTask', { videoId });
    expect((got.payload as TaskView).localPath).toBe(view.localPath);

    // The browser player gets it from the library with Range.
    const res = await get(`${info.httpUrl}media/${videoId}?variant=video`, { Authorization: `Bearer ${info.token}`, Range: 'bytes=0-1023' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-1023/${SAMPLE_VIDEO.length}`);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.body.equals(SAMPLE_VIDEO.subarray(0, 1024))).toBe(true);
  });
});
