// Rooms and pushes. A connection sits in its user's room once authenticated and in a task's
// room while subscribed; a task change reaches each connection once, whichever rooms it is in.
import type { ServerPayload, ServerType } from '@shared/contract/messages';
import type { TaskView } from '@shared/contract/task';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import type { Connection, Hub } from './door-types';

export interface HubOptions {
  clock?: Clock;
  logger?: Logger;
}

interface Membership {
  userId: string | null;
  tasks: Set<string>;
}

export function createHub(opts: HubOptions = {}): Hub & { readonly size: number } {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const members = new Map<Connection, Membership>();
  const userRooms = new Map<string, Set<Connection>>();
  const taskRooms = new Map<string, Set<Connection>>();

  const membership = (conn: Connection): Membership => {
    let m = members.get(conn);
    if (!m) {
      m = { userId: null, tasks: new Set() };
      members.set(conn, m);
    }
    return m;
  };
  const enter = (rooms: Map<string, Set<Connection>>, key: string, conn: Connection) => {
    let room = rooms.get(key);
    if (!room) rooms.set(key, (room = new Set()));
    room.add(conn);
  };
  const leave = (rooms: Map<string, Set<Connection>>, key: string, conn: Connection) => {
    const room = rooms.get(key);
    if (!room) return;
    room.delete(conn);
    if (room.size === 0) rooms.delete(key);
  };
  // One envelope object per push, shared by every target, so a door can serialise it once.
  // One peer's failure must not stop a push from reaching the others.
  const deliver = <T extends ServerType>(targets: Iterable<Connection>, type: T, payload: ServerPayload<T>) => {
    const msg = { type, timestamp: clock.now(), payload };
    for (const conn of targets) {
      try {
        conn.send(msg);
      } catch (err) {
        logger.warn('push to a connection failed', { connId: conn.id, door: conn.door, err });
      }
    }
  };

  return {
    get size() {
      return members.size;
    },
    add(conn) {
      membership(conn);
    },
    drop(conn) {
      const m = members.get(conn);
      if (!m) return;
      if (m.userId !== null) leave(userRooms, m.userId, conn);
      for (const videoId of m.tasks) leave(taskRooms, videoId, conn);
      members.delete(conn);
    },
    joinUser(conn, userId) {
      const m = membership(conn);
      if (m.userId !== null && m.userId !== userId) leave(userRooms, m.userId, conn);
      m.userId = userId;
      enter(userRooms, userId, conn);
    },
    joinTask(conn, videoId) {
      membership(conn).tasks.add(videoId);
      enter(taskRooms, videoId, conn);
    },
    leaveTask(conn, videoId) {
      members.get(conn)?.tasks.delete(videoId);
      leave(taskRooms, videoId, conn);
    },
    isWatched(videoId) {
      return (taskRooms.get(videoId)?.size ?? 0) > 0;
    },
    publishTask(userId, view: TaskView) {
      const targets = new Set<Connection>([...(userRooms.get(userId) ?? []), ...(taskRooms.get(view.videoId) ?? [])]);
      deliver(targets, 'taskUpdated', view);
    },
    broadcast(type, payload) {
      deliver([...members.keys()].filter((conn) => conn.userId !== null), type, payload);
    },
  };
}
