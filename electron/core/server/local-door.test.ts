import { describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import { silentLogger } from '../log';
import { createTokenIssuer } from './auth';
import { sampleView } from './test-support/door-client';
import type { HandlerMap } from './door-types';
import { createHub } from './hub';
import { createLocalDoor } from './local-door';
import { createRouter } from './router';

function setup(handlers: HandlerMap = {}) {
  const hub = createHub();
  const views = new Map([['v1', sampleView('v1')]]);
  const router = createRouter({ handlers, hub, tokens: createTokenIssuer(), logger: silentLogger, getTaskView: (id) => views.get(id) });
  const door = createLocalDoor(router, hub);
  const open = () => {
    const inbox: ServerEnvelope[] = [];
    const local = door.openLocalConnection((msg) => inbox.push(msg));
    return { ...local, inbox };
  };
  return { hub, door, open };
}

describe('local (IPC) door', () => {
  it('is authenticated as local from the start and answers requests with their id', async () => {
    const { open } = setup({ getStats: (_p, ctx) => ctx.reply('stats', { total: 0, byStatus: {} as never }) });
    const c = open();
    expect(c.conn.userId).toBe('local');
    await c.receive({ type: 'ping', id: 'p1' });
    await c.receive({ type: 'getStats', id: 2 });
    expect(c.inbox).toMatchObject([{ type: 'pong', id: 'p1', payload: {} }, { type: 'stats', id: 2, payload: { total: 0 } }]);
    expect(c.inbox.every((m) => typeof m.timestamp === 'number')).toBe(true);
  });

  it('validates frames like a socket: strings are not parsed, bad payloads and unknown types are refused', async () => {
    const { open } = setup();
    const c = open();
    await c.receive('{"type":"ping"}');
    await c.receive({ type: 'subscribe_task', id: 'b', payload: {} });
    await c.receive({ type: 'teleport', id: 'u' });
    expect(c.inbox.map((m) => [m.type, m.id, (m.payload as { code?: string }).code])).toEqual([
      ['error', undefined, 'BAD_REQUEST'],
      ['error', 'b', 'BAD_REQUEST'],
      ['error', 'u', 'UNKNOWN_TYPE'],
    ]);
  });

  it('answers auth without dropping the connection, whatever the token', async () => {
    const { open } = setup();
    const c = open();
    await c.receive({ type: 'auth', id: 'a', payload: { token: 'stale-token-from-a-previous-launch' } });
    await c.receive({ type: 'ping', id: 'after' });
    expect(c.inbox).toMatchObject([{ type: 'authenticated', id: 'a', payload: { user: { id: 'local' } } }, { type: 'pong', id: 'after' }]);
  });

  it('receives pushes for its user, and none after close()', async () => {
    const { hub, open } = setup();
    const c = open();
    await c.receive({ type: 'subscribe_task', id: 's', payload: { videoId: 'v1' } });
    hub.publishTask('local', sampleView('v1', { progress: 70 }));
    expect(c.inbox.filter((m) => m.type === 'taskUpdated' && m.id === undefined)).toHaveLength(1);
    c.close();
    expect(hub.isWatched('v1')).toBe(false);
    hub.publishTask('local', sampleView('v1', { progress: 80 }));
    await c.receive({ type: 'ping', id: 'late' });
    expect(c.inbox.some((m) => (m.payload as { progress?: number }).progress === 80 || m.id === 'late')).toBe(false);
  });

  it('survives a renderer whose send throws, and other connections still get pushes', async () => {
    const { hub, door, open } = setup();
    const gone = door.openLocalConnection(() => { throw new Error('webContents destroyed'); });
    const healthy = open();
    expect(() => hub.publishTask('local', sampleView('v1'))).not.toThrow();
    await expect(gone.receive({ type: 'ping', id: 1 })).resolves.toBeUndefined();
    expect(healthy.inbox).toHaveLength(1);
  });
});
