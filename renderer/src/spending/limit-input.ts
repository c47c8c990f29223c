// Amount and count fields of the budget and cap forms: blank means "none"; anything else must read as a
// number in range.
export type Parsed = { ok: true; value: number | null } | { ok: false };

/** "1.50" -> 1.5, "" -> null (no limit). */
export function parseAmount(text: string | undefined): Parsed {
  const s = (text ?? '').trim().replace(',', '.');
  if (s === '') return { ok: true, value: null };
  if (!/^\d+(\.\d+)?$/.test(s) || Number(s) > 1_000_000) return { ok: false };
  return { ok: true, value: Number(s) };
}

/** "3" -> 3, "" -> null (no cap). */
export function parseCount(text: string | undefined, max: number): Parsed {
  const s = (text ?? '').trim();
  if (s === '') return { ok: true, value: null };
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > max) return { ok: false };
  return { ok: true, value: Number(s) };
}

export const amountText = (n: number | null | undefined) => (n == null ? '' : String(n));
