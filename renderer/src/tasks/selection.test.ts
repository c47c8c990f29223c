import { describe, expect, it } from 'vitest';
import { extendTo, NO_SELECTION, prune, selectAll, toggle } from './selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('task selection', () => {
  it('a click toggles one task and makes it the anchor', () => {
    const one = toggle(NO_SELECTION, 'c');
    expect(ids(one)).toEqual(['c']);
    expect(one.anchor).toBe('c');
    expect(ids(toggle(one, 'c'))).toEqual([]);
  });

  it('Shift-click adds the range from the anchor, either direction, keeping what was selected', () => {
    let s = toggle(NO_SELECTION, 'b');
    s = extendTo(s, 'e', order);
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e']);
    s = toggle(s, 'f');
    s = extendTo(s, 'd', order);
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(ids(extendTo(NO_SELECTION, 'a', order))).toEqual(['a']); // no anchor yet: a toggle
  });

  it('Ctrl/Cmd-A takes every task shown', () => {
    expect(ids(selectAll(order))).toEqual(order);
  });

  it('tasks that leave the view leave the selection; nothing gone, nothing changes', () => {
    const s = selectAll(order);
    expect(prune(s, () => true)).toBe(s);
    const pruned = prune(s, (id) => id !== 'a' && id !== 'c');
    expect(ids(pruned)).toEqual(['b', 'd', 'e', 'f']);
    expect(pruned.anchor).toBeNull();
  });
});
