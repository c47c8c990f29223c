// A batch from a file or pasted text, read the same way by the page and the `soradesk batch` command:
// a .txt (or pasted lines) is one prompt a line; a .csv has a header row naming its columns (prompt,
// and any of model, seconds, size, providerId) and one item a row. A bad row is named by its line
// number and nothing of the file is taken. No zod here: the page loads it at run time.
import { MAX_BATCH_TASKS, MAX_PROMPT_LENGTH, SECONDS_PATTERN, SIZE_PATTERN } from './values';

export interface BatchFileItem {
  prompt: string;
  providerId?: string;
  model?: string;
  seconds?: string;
  size?: string;
}

export type BatchFileResult = { ok: true; items: BatchFileItem[] } | { ok: false; line: number; message: string };

const COLUMNS = ['prompt', 'model', 'seconds', 'size', 'providerid'] as const;

/** By the file's name: .csv is CSV, anything else (or none) one prompt a line. */
export function parseBatchFile(fileName: string | null, text: string): BatchFileResult {
  return fileName && /\.csv$/i.test(fileName) ? parseBatchCsv(text) : parseBatchLines(text);
}

export function parseBatchLines(text: string): BatchFileResult {
  const items: BatchFileItem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const prompt = lines[i].trim();
    if (!prompt) continue;
    if (prompt.length > MAX_PROMPT_LENGTH) return { ok: false, line: i + 1, message: `the prompt is longer than ${MAX_PROMPT_LENGTH} characters` };
    items.push({ prompt });
  }
  return checkedCount(items);
}

export function parseBatchCsv(text: string): BatchFileResult {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  if ('error' in records) return { ok: false, line: records.line, message: records.error };
  const [header, ...rows] = records.rows.filter((r) => !(r.cells.length === 1 && r.cells[0].trim() === ''));
  if (!header) return { ok: false, line: 1, message: 'the file is empty: it needs a header row (prompt, model, seconds, size)' };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const unknown = names.find((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown !== undefined) return { ok: false, line: header.line, message: `unknown column "${unknown}" in the header; the columns are prompt, model, seconds, size (and providerId)` };
  if (!names.includes('prompt')) return { ok: false, line: header.line, message: 'the header row has no "prompt" column' };
  const items: BatchFileItem[] = [];
  for (const row of rows) {
    if (row.cells.length > names.length) return { ok: false, line: row.line, message: `${row.cells.length} values, but the header names ${names.length} columns` };
    const cell = (name: string) => (row.cells[names.indexOf(name)] ?? '').trim();
    const item: BatchFileItem = { prompt: cell('prompt') };
    if (!item.prompt) return { ok: false, line: row.line, message: 'the prompt is empty' };
    if (item.prompt.length > MAX_PROMPT_LENGTH) return { ok: false, line: row.line, message: `the prompt is longer than ${MAX_PROMPT_LENGTH} characters` };
    const model = cell('model');
    const seconds = cell('seconds');
    const size = cell('size');
    const providerId = cell('providerid');
    if (seconds && !SECONDS_PATTERN.test(seconds)) return { ok: false, line: row.line, message: `seconds "${seconds}" is not a whole number of seconds` };
    if (size && !SIZE_PATTERN.test(size)) return { ok: false, line: row.line, message: `size "${size}" must look like 1280x720` };
    if (model) item.model = model;
    if (seconds) item.seconds = seconds;
    if (size) item.size = size;
    if (providerId) item.providerId = providerId;
    items.push(item);
  }
  return checkedCount(items);
}

function checkedCount(items: BatchFileItem[]): BatchFileResult {
  if (items.length === 0) return { ok: false, line: 1, message: 'no prompts in it' };
  if (items.length > MAX_BATCH_TASKS) return { ok: false, line: 1, message: `${items.length} prompts; a batch takes at most ${MAX_BATCH_TASKS}` };
  return { ok: true, items };
}

/** RFC 4180 records: quoted cells may hold commas, quotes ("") and line breaks. `line`: where the record starts. */
function csvRecords(text: string): { rows: Array<{ line: number; cells: string[] }> } | { error: string; line: number } {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else {
      cell += ch;
    }
  }
  if (quoted) return { error: 'a quoted value is never closed', line: quoteLine };
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: start, cells });
  }
  return { rows };
}
