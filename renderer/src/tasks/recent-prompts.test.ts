import { describe, expect, it } from 'vitest';
import { loadRecentPrompts, MAX_RECENT, PromptRecall, rememberPrompt, saveRecentPrompts } from './recent-prompts';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, get length() { return m.size; } };
}

describe('recent prompts', () => {
  it('keeps each prompt once, newest first, at most 20', () => {
    let list: string[] = [];
    for (let i = 0; i < 25; i++) list = rememberPrompt(list, `prompt ${i}`);
    list = rememberPrompt(list, 'prompt 10');
    list = rememberPrompt(list, '   ');
    expect(list).toHaveLength(MAX_RECENT);
    expect(list.slice(0, 3)).toEqual(['prompt 10', 'prompt 24', 'prompt 23']);
    expect(list.filter((p) => p === 'prompt 10')).toHaveLength(1);
  });

  it('survives in storage, and a broken entry reads as none', () => {
    const storage = memoryStorage();
    saveRecentPrompts(storage, ['b', 'a']);
    expect(loadRecentPrompts(storage)).toEqual(['b', 'a']);
    storage.setItem('soradesk.recentPrompts', '{not json');
    expect(loadRecentPrompts(storage)).toEqual([]);
    expect(loadRecentPrompts(null)).toEqual([]);
  });

  it('Up walks back, Down walks forward and returns to the draft', () => {
    const list = ['newest', 'older', 'oldest'];
    const r = new PromptRecall();
    expect(r.newer(list)).toBeNull();
    expect(r.older('half-written', list)).toBe('newest');
    expect(r.older('newest', list)).toBe('older');
    expect(r.older('older', list)).toBe('oldest');
    expect(r.older('oldest', list)).toBeNull();
    expect(r.newer(list)).toBe('older');
    expect(r.newer(list)).toBe('newest');
    expect(r.newer(list)).toBe('half-written');
    expect(r.newer(list)).toBeNull();
  });
});
