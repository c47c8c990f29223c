// Which tasks are selected for a bulk action: click toggles one, Shift-click takes the range from the
// last one clicked, Ctrl/Cmd-A takes everything loaded. Immutable values, so React sees each change.

export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** Where a Shift-click range starts: the last task clicked. */
  readonly anchor: string | null;
}

export const NO_SELECTION: Selection = Object.freeze({ ids: new Set<string>(), anchor: null });

/** One task in or out; it becomes the anchor. */
export function toggle(sel: Selection, id: string): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/**
 * Shift-click: every task from the anchor to `id`, in the order shown, joins the selection (the
 * anchor stays, so a second Shift-click re-aims from it). Without an anchor it is a toggle.
 */
export function extendTo(sel: Selection, id: string, order: readonly string[]): Selection {
  const from = sel.anchor === null ? -1 : order.indexOf(sel.anchor);
  const to = order.indexOf(id);
  if (from < 0 || to < 0) return toggle(sel, id);
  const ids = new Set(sel.ids);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) ids.add(order[i]);
  return { ids, anchor: sel.anchor };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Drops what is no longer there (deleted, filtered away); the same value when nothing went. */
export function prune(sel: Selection, present: (id: string) => boolean): Selection {
  let gone = false;
  for (const id of sel.ids) if (!present(id)) gone = true;
  if (!gone) return sel;
  const ids = new Set([...sel.ids].filter(present));
  return { ids, anchor: sel.anchor !== null && present(sel.anchor) ? sel.anchor : null };
}
