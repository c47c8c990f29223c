import { describe, expect, it } from 'vitest';
import type { ServerEnvelope } from '@shared/contract/messages';
import { sampleView } from './test-support/door-client';
import type { Connection } from './door-types';
import { createHub } from './hub';

function conn(id: string, userId: string | null = null): Connection & { inbox: ServerEnvelope[] } {
  const inbox: ServerEnvelope[] = [];
  return { id, door: 'ws', userId, inbox, send: (m) => void inbox.push(m) };
}

describe('hub', () => {
  it('sends a task change to the owner room and the task room, once per connection, without id', () => {
    const hub = createHub();
    const [a, b, c, stranger] = [conn('a', 'local'), conn('b', 'local'), conn('c', 'other'), conn('d', 'other')];
    for (const x of [a, b, c, stranger]) hub.add(x);
    hub.joinUser(a, 'local');
    hub.joinUser(b, 'local');
    hub.joinUser(c, 'other');
    hub.joinUser(stranger, 'other');
    hub.joinTask(a, 'v1');
    hub.joinTask(c, 'v1');
    hub.publishTask('local', sampleView('v1'));
    expect([a, b, c, stranger].map((x) => x.inbox.length)).toEqual([1, 1, 1, 0]);
    expect(a.inbox[0]).toMatchObject({ type: 'taskUpdated', payload: { videoId: 'v1' } });
    expect('id' in a.inbox[0]!).toBe(false);
  });

  it('tracks who watches a task through join, leave and drop', () => {
    const hub = createHub();
    const a = conn('a', 'local');
    const b = conn('b', 'local');
    hub.joinTask(a, 'v1');
    hub.joinTask(b, 'v1');
    hub.leaveTask(a, 'v1');
    expect(hub.isWatched('v1')).toBe(true);
    hub.drop(b);
    expect(hub.isWatched('v1')).toBe(false);
    expect(hub.size).toBe(1);
  });

  it('broadcasts only to authenticated connections', () => {
    const hub = createHub();
    const authed = conn('a', 'local');
    const anonymous = conn('b', null);
    hub.add(authed);
    hub.add(anonymous);
    hub.broadcast('notice', { level: 'info', code: 'DB_RECOVERED', message: 'tasks restored from backup' });
    expect(authed.inbox).toMatchObject([{ type: 'notice', payload: { code: 'DB_RECOVERED' } }]);
    expect(anonymous.inbox).toEqual([]);
  });

  it('keeps pushing to others when one connection throws', () => {
    const hub = createHub();
    const broken: Connection = { id: 'x', door: 'ws', userId: 'local', send: () => { throw new Error('peer gone'); } };
    const ok = conn('ok', 'local');
    hub.joinUser(broken, 'local');
    hub.joinUser(ok, 'local');
    hub.publishTask('local', sampleView('v1'));
    expect(ok.inbox).toHaveLength(1);
  });
});
