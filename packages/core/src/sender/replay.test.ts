// The default replay store: one claim per key while it lasts, bounded memory.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryReplayStore } from './replay.js';

const NOW = 1_800_000_000_000;
beforeEach(() => vi.useFakeTimers({ now: NOW, toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

describe('MemoryReplayStore', () => {
  it('claims a key once until it expires', () => {
    const store = new MemoryReplayStore();
    expect(store.claim('a', NOW + 1000)).toBe(true);
    expect(store.claim('a', NOW + 1000)).toBe(false);
    expect(store.claim('b', NOW + 1000)).toBe(true);
    vi.setSystemTime(NOW + 1000);
    expect(store.claim('a', NOW + 2000)).toBe(true);
    expect(store.claim('a', NOW + 2000)).toBe(false);
  });

  it('lets exactly one of many concurrent claims of one key win', async () => {
    const store = new MemoryReplayStore();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => Promise.resolve().then(() => store.claim('k', NOW + 1000))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('drops expired claims as new ones arrive', () => {
    const store = new MemoryReplayStore();
    for (let i = 0; i < 100; i++) store.claim(`old-${i}`, NOW + 1000);
    expect(store.size).toBe(100);
    vi.setSystemTime(NOW + 1000);
    store.claim('new', NOW + 5000);
    expect(store.size).toBe(1);
  });

  it('forgets the oldest claim when full, and never holds more than maxEntries', () => {
    const store = new MemoryReplayStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) expect(store.claim(key, NOW + 1000)).toBe(true);
    expect(store.size).toBe(3);
    // "a" was forgotten early: its proof could be replayed (the documented cost of the bound).
    expect(store.claim('a', NOW + 1000)).toBe(true);
    expect(store.claim('c', NOW + 1000)).toBe(false);
    expect(store.claim('d', NOW + 1000)).toBe(false);
    expect(store.size).toBe(3);
  });

  it('throws TypeError for a maxEntries that is not a positive integer', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, '10' as never])
      expect(() => new MemoryReplayStore({ maxEntries })).toThrow(TypeError);
  });
});
