// The in-memory view of every task: newest-first order, status counts, search text, and which file each
// task lives in, so list(), stats() and the store's writes stay fast at 100,000 tasks without touching
// the disk. Kept lean, since it sits beside every parsed task: one small entry per task and one map.
import { AppError } from '@shared/contract/errors';
import { matchesWords, searchTextOf as foldedTextOf, searchWords } from '@shared/contract/search';
import { TASK_STATUSES, type TaskStatus } from '@shared/contract/status';
import type { TaskStats } from '@shared/contract/task';
import type { TaskRecord } from './record';
import type { TaskPage, TaskQuery } from './task-store';

/** Where a task lives: 0 is the active file, n > 0 archive segment n. */
export type Home = number;
export const ACTIVE_HOME: Home = 0;

interface OrderKey {
  /** createdAt as a canonical ISO string (they sort as their times do); '' when unparsable (oldest). */
  k: string;
  id: string;
}

interface Entry {
  k: string;
  record: TaskRecord;
  home: Home;
}

const MAX_PAGE = 10_000;
/**
 * Is this a time as toISOString() writes it ('2025-01-01T00:00:00.000Z')? Such strings sort as their
 * times do, so they are compared as text, with no parsing (checked by its punctuation: this runs per task at open).
 */
export function isCanonicalIso(s: string): boolean {
  return s.length === 24 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58
    && s.charCodeAt(16) === 58 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90;
}

/** The sort key of a createdAt: as it is when it is what toISOString() writes, else normalised. */
function keyOf(createdAt: string): string {
  if (isCanonicalIso(createdAt)) return createdAt;
  const t = Date.parse(createdAt);
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

function compareKeys(ak: string, aid: string, bk: string, bid: string): number {
  if (ak !== bk) return ak < bk ? -1 : 1;
  return aid < bid ? -1 : aid > bid ? 1 : 0;
}

const compareEntries = (a: Entry, b: Entry) => compareKeys(a.k, a.record.videoId, b.k, b.record.videoId);

function encodeCursor(k: OrderKey): string {
  return Buffer.from(JSON.stringify([k.k, k.id])).toString('base64url');
}

function decodeCursor(cursor: string): OrderKey {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { k: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError('BAD_REQUEST', 'invalid cursor: pass the nextCursor of a previous page unchanged');
}

export class TaskIndex {
  private readonly byId = new Map<string, Entry>();
  /** Ascending by (createdAt, videoId); list() walks it backwards. */
  private order: Entry[] = [];
  private readonly counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  /** Folded prompt, model, provider and ids (shared/contract/search.ts); made on the first search, not at load. */
  private readonly searchText = new WeakMap<TaskRecord, string>();
  /** Entries added by add() since finishLoad(); a task added twice makes the order be rebuilt. */
  private loading: { replaced: boolean } | null = null;

  get size(): number {
    return this.byId.size;
  }

  get(videoId: string): TaskRecord | undefined {
    return this.byId.get(videoId)?.record;
  }

  homeOf(videoId: string): Home | undefined {
    return this.byId.get(videoId)?.home;
  }

  /**
   * Bulk load at start-up: entries are appended as they come, then sorted once in finishLoad(). Returns
   * the task's earlier record and file when it was already added (a copy in two files), else undefined.
   */
  add(r: TaskRecord, home: Home): { record: TaskRecord; home: Home } | undefined {
    this.loading ??= { replaced: false };
    const old = this.byId.get(r.videoId);
    if (old) {
      this.counts[old.record.status]--;
      this.loading.replaced = true;
    }
    const e: Entry = { k: keyOf(r.createdAt), record: r, home };
    this.byId.set(r.videoId, e);
    this.order.push(e);
    this.counts[r.status]++;
    return old;
  }

  finishLoad(): void {
    if (this.loading?.replaced) this.order = [...this.byId.values()];
    this.loading = null;
    // The files hold tasks mostly in creation order: the sort finds the runs and merges them.
    this.order.sort(compareEntries);
  }

  upsert(r: TaskRecord, home: Home): void {
    const old = this.byId.get(r.videoId);
    const e: Entry = { k: old && old.record.createdAt === r.createdAt ? old.k : keyOf(r.createdAt), record: r, home };
    if (old) {
      this.counts[old.record.status]--;
      if (old.k === e.k) {
        this.order[this.position(old)] = e;
      } else {
        this.order.splice(this.position(old), 1);
        this.order.splice(this.lowerBound(e.k, r.videoId), 0, e);
      }
    } else {
      this.order.splice(this.lowerBound(e.k, r.videoId), 0, e);
    }
    this.byId.set(r.videoId, e);
    this.counts[r.status]++;
  }

  /** Moves a task to another file without changing it. */
  setHome(videoId: string, home: Home): void {
    const e = this.byId.get(videoId);
    if (e) e.home = home;
  }

  remove(videoId: string): void {
    const old = this.byId.get(videoId);
    if (!old) return;
    this.order.splice(this.position(old), 1);
    this.byId.delete(videoId);
    this.counts[old.record.status]--;
  }

  /** The tasks of one file, in order (a walk over all: used for files written rarely). */
  idsIn(home: Home): string[] {
    const out: string[] = [];
    for (const e of this.order) if (e.home === home) out.push(e.record.videoId);
    return out;
  }

  stats(): TaskStats {
    return { total: this.byId.size, byStatus: { ...this.counts } };
  }

  list(q: TaskQuery): TaskPage {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(q.limit)));
    const statuses = q.status === undefined ? null : new Set(Array.isArray(q.status) ? q.status : [q.status]);
    const words = searchWords(q.search);
    // The order is by creation time, so a date range is a slice of it: [lo, hi).
    const { lo, hi } = this.dateSlice(q.from, q.to);
    const matches = (e: Entry) => (!statuses || statuses.has(e.record.status)) && (words.length === 0 || matchesWords(this.textOf(e.record), words));

    // Start just below the cursor's key: the task it names may have been deleted since.
    let end = hi;
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      end = Math.min(hi, this.lowerBound(c.k, c.id));
    }
    const tasks: TaskRecord[] = [];
    let last: Entry | null = null;
    let more = false;
    for (let i = end - 1; i >= lo; i--) {
      const e = this.order[i];
      if (!matches(e)) continue;
      if (tasks.length === limit) {
        more = true;
        break;
      }
      tasks.push(e.record);
      last = e;
    }
    return {
      tasks,
      nextCursor: more && last ? encodeCursor({ k: last.k, id: last.record.videoId }) : null,
      total: this.count(statuses, words, lo, hi, matches),
      unfiltered: this.byId.size,
    };
  }

  private textOf(r: TaskRecord): string {
    let text = this.searchText.get(r);
    if (text === undefined) this.searchText.set(r, (text = foldedTextOf(r)));
    return text;
  }

  private count(statuses: Set<TaskStatus> | null, words: readonly string[], lo: number, hi: number, matches: (e: Entry) => boolean): number {
    const whole = lo === 0 && hi === this.order.length;
    if (words.length === 0 && whole) {
      if (!statuses) return this.byId.size;
      let n = 0;
      for (const s of statuses) n += this.counts[s];
      return n;
    }
    if (words.length === 0 && !statuses) return hi - lo;
    let n = 0;
    for (let i = lo; i < hi; i++) if (matches(this.order[i])) n++;
    return n;
  }

  /** The slice of `order` created in [from, to); the whole order when neither is given (or cannot be read). */
  private dateSlice(from: string | null | undefined, to: string | null | undefined): { lo: number; hi: number } {
    const fromKey = from ? keyOf(from) : '';
    const toKey = to ? keyOf(to) : '';
    // An empty id sorts before every real one: the bound falls before all tasks of that millisecond.
    const lo = fromKey ? this.lowerBound(fromKey, '') : 0;
    const hi = toKey ? this.lowerBound(toKey, '') : this.order.length;
    return { lo, hi: Math.max(lo, hi) };
  }

  /** First index whose key is >= (k, id). */
  private lowerBound(k: string, id: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.order[mid];
      if (compareKeys(m.k, m.record.videoId, k, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private position(e: Entry): number {
    const i = this.lowerBound(e.k, e.record.videoId);
    if (i >= this.order.length || this.order[i] !== e) throw new Error(`task index out of step for ${e.record.videoId}`);
    return i;
  }
}
