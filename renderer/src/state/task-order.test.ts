// The newest-first order is kept in place as pushes arrive; it must always equal a full sort.
import { describe, expect, it } from 'vitest';
import type { TaskView } from '@shared/contract/task';
import { ChangeNotifier } from './change-notifier';
import { taskView } from './test-support/task-fixture';
import { compareNewestFirst, TaskState } from './task-state';

const at = (s: number) => new Date(Date.parse('2025-01-01T00:00:00.000Z') + s * 1000).toISOString();
const ids = (s: TaskState) => s.list().map((t) => t.videoId);

describe('TaskState order under pushes', () => {
  it('a changed task whose createdAt did not change keeps its place; the list is a new array', () => {
    const s = new TaskState();
    s.replacePage({ tasks: [0, 1, 2, 3].map((n) => taskView({ videoId: `t${n}`, createdAt: at(n) })), nextCursor: null, total: 4 });
    const before = s.list();
    expect(ids(s)).toEqual(['t3', 't2', 't1', 't0']);
    s.merge(taskView({ videoId: 't1', createdAt: at(1), status: 'PROCESSING', progress: 50, updatedAt: at(100) }));
    expect(ids(s)).toEqual(['t3', 't2', 't1', 't0']);
    expect(s.list()[2]).toMatchObject({ videoId: 't1', progress: 50 });
    expect(s.list()).not.toBe(before); // React sees a change
    expect(before[2].progress).toBe(0); // and what it rendered before was not edited under it
  });

  it('a new task goes to its place by creation time, ties broken by videoId like the store', () => {
    const s = new TaskState();
    s.replacePage({ tasks: [taskView({ videoId: 'a', createdAt: at(10) }), taskView({ videoId: 'b', createdAt: at(5) })], nextCursor: null, total: 2 });
    s.merge(taskView({ videoId: 'c', createdAt: at(7) }));
    s.merge(taskView({ videoId: 'd', createdAt: at(20) }));
    s.merge(taskView({ videoId: 'e', createdAt: at(1) }));
    s.merge(taskView({ videoId: 'bb', createdAt: at(5) }));
    expect(ids(s)).toEqual(['d', 'a', 'c', 'bb', 'b', 'e']);
    expect(s.total).toBe(6);
  });

  it('a task whose createdAt changed moves to its new place', () => {
    const s = new TaskState();
    for (const n of [1, 2, 3]) s.merge(taskView({ videoId: `t${n}`, createdAt: at(n) }));
    s.merge(taskView({ videoId: 't1', createdAt: at(9), updatedAt: at(9) }));
    expect(ids(s)).toEqual(['t1', 't3', 't2']);
  });

  it('after any mix of inserts, updates, late pushes, filter exits and deletes the order equals a full sort', () => {
    const s = new TaskState();
    s.setFilter({ status: null, search: '' });
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const truth = new Map<string, TaskView>();
    const deleted = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const id = `v${rand(400)}`;
      if (rand(20) === 0) {
        s.remove(id);
        truth.delete(id);
        deleted.add(id);
        continue;
      }
      // createdAt is fixed per task (as the core keeps it); updatedAt sometimes goes backwards (late push).
      const t = taskView({ videoId: id, createdAt: at(Number(id.slice(1)) % 97), updatedAt: at(1000 + rand(3000)), progress: rand(100) });
      s.merge(t);
      const held = truth.get(id);
      if (!deleted.has(id) && (!held || Date.parse(t.updatedAt) > Date.parse(held.updatedAt) || (t.updatedAt === held.updatedAt && t.progress >= held.progress))) truth.set(id, t);
    }
    expect(s.list()).toEqual([...truth.values()].sort(compareNewestFirst));
    for (const id of deleted) expect(s.get(id)).toBeUndefined();
  });

  it('a task leaving the filter or deleted leaves the order without disturbing the rest', () => {
    const s = new TaskState();
    s.setFilter({ status: 'PROCESSING', search: '' });
    for (const n of [1, 2, 3, 4]) s.merge(taskView({ videoId: `t${n}`, createdAt: at(n), status: 'PROCESSING' }));
    s.merge(taskView({ videoId: 't3', createdAt: at(3), status: 'COMPLETED', progress: 100, updatedAt: at(50) }));
    s.remove('t1');
    expect(ids(s)).toEqual(['t4', 't2']);
    expect(s.total).toBe(2);
  });
});

describe('ChangeNotifier', () => {
  it('a burst of changes reaches the listener once, when the frame comes', () => {
    const frames: Array<() => void> = [];
    const n = new ChangeNotifier((flush) => void frames.push(flush));
    let heard = 0;
    n.subscribe(() => (heard += 1));
    for (let i = 0; i < 500; i++) n.changed();
    expect(heard).toBe(0);
    expect(frames).toHaveLength(1);
    frames[0]();
    expect([heard, n.version]).toEqual([1, 1]);
    n.changed();
    expect(frames).toHaveLength(2); // a change after the flush asks for the next frame
  });
});
