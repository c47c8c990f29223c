import { describe, expect, it } from 'vitest';
import { taskView } from './test-support/task-fixture';
import { TaskState } from './task-state';

const t0 = '2025-01-01T00:00:00.000Z';
const t1 = '2025-01-01T00:00:01.000Z';
const t2 = '2025-01-01T00:00:02.000Z';

describe('TaskState merge rule', () => {
  it('a push or reply with an older updatedAt never overwrites a newer one', () => {
    const s = new TaskState();
    s.merge(taskView({ videoId: 'a', status: 'PROCESSING', progress: 60, updatedAt: t2 }));
    const late = s.merge(taskView({ videoId: 'a', status: 'QUEUED', progress: 10, updatedAt: t1 }));
    expect(late.applied).toBe(false);
    expect(s.get('a')).toMatchObject({ status: 'PROCESSING', progress: 60 });
    s.merge(taskView({ videoId: 'a', status: 'COMPLETED', progress: 100, updatedAt: t2 }));
    expect(s.get('a')?.status).toBe('COMPLETED');
  });

  it('on equal times a later status or more progress wins, never less', () => {
    const s = new TaskState();
    s.merge(taskView({ videoId: 'a', status: 'PROCESSING', progress: 50, updatedAt: t1 }));
    s.merge(taskView({ videoId: 'a', status: 'PROCESSING', progress: 40, updatedAt: t1 }));
    expect(s.get('a')?.progress).toBe(50);
    s.merge(taskView({ videoId: 'a', status: 'FAILED', progress: 50, updatedAt: t1, error: 'boom' }));
    expect(s.get('a')?.status).toBe('FAILED');
  });

  it('lists newest first by creation time', () => {
    const s = new TaskState();
    s.merge(taskView({ videoId: 'old', createdAt: t0 }));
    s.merge(taskView({ videoId: 'new', createdAt: t2 }));
    s.merge(taskView({ videoId: 'mid', createdAt: t1 }));
    expect(s.list().map((t) => t.videoId)).toEqual(['new', 'mid', 'old']);
    expect(s.list()).toBe(s.list()); // stable between changes, so React does not re-render for nothing
  });

  it('a late push about a deleted task does not bring it back', () => {
    const s = new TaskState();
    s.merge(taskView({ videoId: 'a', updatedAt: t1 }));
    s.remove('a');
    s.merge(taskView({ videoId: 'a', status: 'PROCESSING', updatedAt: t2 }));
    expect(s.get('a')).toBeUndefined();
    expect(s.list()).toEqual([]);
  });

  it('a task that leaves the status filter leaves the view', () => {
    const s = new TaskState();
    s.setFilter({ status: 'PROCESSING', search: '' });
    s.merge(taskView({ videoId: 'a', status: 'PROCESSING', updatedAt: t1 }));
    expect(s.list()).toHaveLength(1);
    s.merge(taskView({ videoId: 'a', status: 'COMPLETED', progress: 100, updatedAt: t2 }));
    expect(s.list()).toHaveLength(0);
  });

  it('a fresh page keeps what a push made newer, and tasks changed after the page was taken', () => {
    const s = new TaskState();
    s.merge(taskView({ videoId: 'a', status: 'COMPLETED', progress: 100, updatedAt: t2 }));
    s.merge(taskView({ videoId: 'fresh', createdAt: t2, updatedAt: t2 }));
    s.merge(taskView({ videoId: 'gone', updatedAt: t0 }));
    // The page was computed at t1: it has the stale 'a' and cannot know 'fresh'; 'gone' was deleted elsewhere.
    s.replacePage({ tasks: [taskView({ videoId: 'a', status: 'PROCESSING', progress: 30, updatedAt: t1 })], nextCursor: 'c1', total: 1 }, Date.parse(t1));
    expect(s.get('a')?.status).toBe('COMPLETED');
    expect(s.get('fresh')).toBeDefined();
    expect(s.get('gone')).toBeUndefined();
    expect(s.nextCursor).toBe('c1');
  });

  it('appending the next page adds tasks after the ones in view', () => {
    const s = new TaskState();
    s.replacePage({ tasks: [taskView({ videoId: 'b', createdAt: t2 })], nextCursor: 'c1', total: 2 });
    s.appendPage({ tasks: [taskView({ videoId: 'a', createdAt: t1 })], nextCursor: null, total: 2 });
    expect(s.list().map((t) => t.videoId)).toEqual(['b', 'a']);
    expect(s.nextCursor).toBeNull();
  });
});
