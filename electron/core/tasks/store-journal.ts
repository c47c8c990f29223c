// The active file's journal (tasks-active.journal): a batch that changes active tasks appends one line
// per changed task and flushes it (fdatasync), instead of rewriting the whole active file: a commit costs
// one small write and one flush. Lines: {"seq":N,"put":<task>} or {"seq":N,"del":"<videoId>"}, where N is
// the batch's place in the store-wide write order. When a batch's lines would take the journal past the
// active file's size, it writes the active file whole instead (atomically, as every file) and the journal is set aside as
// tasks-active.journal.prev: what lies between the .bak copy and the new file, should the new file be damaged.
// On open: the active file, then the entries of .prev and the journal newer than it, in order.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TaskRecord } from './record';
import type { FileOps } from './store-file';

export interface JournalEntry {
  seq: number;
  put?: TaskRecord;
  del?: string;
}

/** Below this the journal is never folded into the active file (small files are cheap to replay). */
const MIN_FOLD_BYTES = 64 * 1024;

export const journalFileOf = (activeFile: string): string => activeFile.replace(/\.json$/, '') + '.journal';
export const previousJournalOf = (journal: string): string => `${journal}.prev`;

export const putLine = (seq: number, taskJson: string): string => `{"seq":${seq},"put":${taskJson}}\n`;
export const delLine = (seq: number, videoId: string): string => `{"seq":${seq},"del":${JSON.stringify(videoId)}}\n`;

function entryOf(line: string): JournalEntry | null {
  try {
    const e = JSON.parse(line) as JournalEntry;
    if (typeof e?.seq !== 'number') return null;
    if (typeof e.del === 'string' || (e.put && typeof e.put === 'object' && typeof e.put.videoId === 'string')) return e;
  } catch {
    // not a whole line
  }
  return null;
}

/**
 * A journal's entries in order, and how many lines could not be read. A line cut short by a crash
 * was never acknowledged and is skipped; one anywhere else means damage, and is skipped and counted.
 */
export async function readJournal(file: string): Promise<{ entries: JournalEntry[]; bytes: number; damaged: number }> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], bytes: 0, damaged: 0 };
    throw err;
  }
  const lines = bytes.toString('utf8').split('\n');
  const entries: JournalEntry[] = [];
  let damaged = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const e = entryOf(lines[i]);
    if (e) entries.push(e);
    else if (i < lines.length - 1) damaged++;
  }
  return { entries, bytes: bytes.length, damaged };
}

export class Journal {
  readonly file: string;
  /** Bytes appended since the active file was last written whole. */
  bytes = 0;
  /** A failed append may have left half a line: the next one starts on a line of its own. */
  private torn = false;

  constructor(
    activeFile: string,
    private readonly ops: FileOps,
  ) {
    this.file = journalFileOf(activeFile);
  }

  /** Would `adding` more bytes take the journal past the active file's size (then the file is written whole instead)? */
  wantsFold(activeFileBytes: number, adding: number): boolean {
    return this.bytes + adding > Math.max(MIN_FOLD_BYTES, activeFileBytes);
  }

  /** Appends the lines and flushes them; a new journal's name is made durable too. */
  async append(text: string): Promise<void> {
    const first = this.bytes === 0;
    const data = this.torn ? `\n${text}` : text;
    try {
      await this.ops.append(this.file, data);
    } catch (err) {
      this.torn = true;
      throw err;
    }
    this.torn = false;
    this.bytes += Buffer.byteLength(data);
    if (first) await this.ops.fsyncDir(path.dirname(this.file));
  }

  /** After the active file was written whole: the journal becomes .prev and the next append starts anew. */
  async setAside(): Promise<void> {
    try {
      await this.ops.rename(this.file, previousJournalOf(this.file));
      await this.ops.fsyncDir(path.dirname(this.file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.bytes = 0;
    this.torn = false;
  }
}
