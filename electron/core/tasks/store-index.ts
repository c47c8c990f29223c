// The in-memory view of every task: newest-first order, status counts and search text, so list()
// and stats() stay fast at 100,000 tasks without touching the disk.
import { AppError } from '@shared/contract/errors';
import { matchesWords, searchTextOf as foldedTextOf, searchWords } from '@shared/contract/search';
import { TASK_STATUSES, type TaskStatus } from '@shared/contract/status';
import type { TaskStats } from '@shared/contract/task';
import type { TaskRecord } from './record';
import type { TaskPage, TaskQuery } from './task-store';

interface OrderKey {
  /** createdAt in ms (unparsable dates sort oldest). */
  t: number;
  id: string;
}

interface Entry extends OrderKey {
  record: TaskRecord;
  /** Folded prompt, model, provider and ids; built on the first search, not at load. */
  text: string | null;
}

const MAX_PAGE = 10_000;

function timeOf(r: TaskRecord): number {
  const t = Date.parse(r.createdAt);
  return Number.isFinite(t) ? t : 0;
}

function compare(a: OrderKey, b: OrderKey): number {
  if (a.t !== b.t) return a.t - b.t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function entryOf(r: TaskRecord): Entry {
  return { t: timeOf(r), id: r.videoId, record: r, text: null };
}

function searchTextOf(e: Entry): string {
  e.text ??= foldedTextOf(e.record);
  return e.text;
}

function encodeCursor(k: OrderKey): string {
  return Buffer.from(JSON.stringify([k.t, k.id])).toString('base64url');
}

function decodeCursor(cursor: string): OrderKey {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return { t: v[0], id: v[1] };
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

  get size(): number {
    return this.byId.size;
  }

  get(videoId: string): TaskRecord | undefined {
    return this.byId.get(videoId)?.record;
  }

  /** Bulk load at start-up: one sort instead of 100,000 inserts. */
  load(records: Iterable<TaskRecord>): void {
    for (const r of records) {
      const e = entryOf(r);
      const old = this.byId.get(r.videoId);
      if (old) this.counts[old.record.status]--;
      this.byId.set(r.videoId, e);
      this.counts[r.status]++;
    }
    this.order = [...this.byId.values()].sort(compare);
  }

  upsert(r: TaskRecord): void {
    const old = this.byId.get(r.videoId);
    const e = entryOf(r);
    if (old) {
      this.counts[old.record.status]--;
      if (compare(old, e) === 0) {
        this.order[this.position(old)] = e;
      } else {
        this.order.splice(this.position(old), 1);
        this.order.splice(this.lowerBound(e), 0, e);
      }
    } else {
      this.order.splice(this.lowerBound(e), 0, e);
    }
    this.byId.set(r.videoId, e);
    this.counts[r.status]++;
  }

  remove(videoId: string): void {
    const old = this.byId.get(videoId);
    if (!old) return;
    this.order.splice(this.position(old), 1);
    this.byId.delete(videoId);
    this.counts[old.record.status]--;
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
    const matches = (e: Entry) => (!statuses || statuses.has(e.record.status)) && (words.length === 0 || matchesWords(searchTextOf(e), words));

    // Start just below the cursor's key: the task it names may have been deleted since.
    let i = Math.min(hi, q.cursor ? this.lowerBound(decodeCursor(q.cursor)) : hi) - 1;
    const tasks: TaskRecord[] = [];
    let last: Entry | null = null;
    let more = false;
    for (; i >= lo; i--) {
      const e = this.order[i];
      if (!matches(e)) continue;
      if (tasks.length === limit) {
        more = true;
        break;
      }
      tasks.push(e.record);
      last = e;
    }
    return { tasks, nextCursor: more && last ? encodeCursor(last) : null, total: this.count(statuses, words, lo, hi, matches), unfiltered: this.byId.size };
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

  /** The slice of `order` created in [from, to); the whole order when neither is given. */
  private dateSlice(from: string | null | undefined, to: string | null | undefined): { lo: number; hi: number } {
    const fromMs = from ? Date.parse(from) : NaN;
    const toMs = to ? Date.parse(to) : NaN;
    // An empty id sorts before every real one: the bound falls before all tasks of that millisecond.
    const lo = Number.isFinite(fromMs) ? this.lowerBound({ t: fromMs, id: '' }) : 0;
    const hi = Number.isFinite(toMs) ? this.lowerBound({ t: toMs, id: '' }) : this.order.length;
    return { lo, hi: Math.max(lo, hi) };
  }

  /** First index whose key is >= k. */
  private lowerBound(k: OrderKey): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.order[mid], k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private position(e: OrderKey): number {
    const i = this.lowerBound(e);
    if (i >= this.order.length || compare(this.order[i], e) !== 0) throw new Error(`task index out of step for ${e.id}`);
    return i;
  }
}
