import { describe, expect, it } from 'vitest';
import { createTokenCache } from './cache.js';
import type { AuthInfo, JWTClaims } from './types.js';

const info = (exp: number | undefined, sub = 'u'): AuthInfo<JWTClaims> => ({
  token: 'ignored',
  header: { alg: 'HS256' },
  claims: exp === undefined ? { sub } : { sub, exp },
  scopes: new Set(['read']),
});

describe('createTokenCache', () => {
  it('returns the cached verification for the exact same token only', async () => {
    let now = 1_000_000;
    const cache = createTokenCache({ now: () => now });
    await cache.set('a.b.c', info(2000));
    const hit = await cache.get('a.b.c');
    expect(hit?.claims.sub).toBe('u');
    expect(hit?.token).toBe('a.b.c');
    expect(await cache.get('a.b.d')).toBeUndefined();
    now = 1_999_999;
    expect(await cache.get('a.b.c')).toBeDefined();
  });
  it('never keeps an entry past the token exp', async () => {
    let now = 1_000_000;
    const cache = createTokenCache({ now: () => now });
    await cache.set('t', info(2000));
    now = 2_000_000;
    expect(await cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
  it('does not cache tokens without a numeric exp or already expired', async () => {
    const cache = createTokenCache({ now: () => 5_000_000 });
    await cache.set('no-exp', info(undefined));
    await cache.set('expired', info(4000));
    await cache.set('string-exp', { ...info(undefined), claims: { exp: '9999' as never } });
    expect(cache.size).toBe(0);
  });
  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = createTokenCache({ maxEntries: 2, now: () => 0 });
    await cache.set('a', info(10, 'a'));
    await cache.set('b', info(10, 'b'));
    await cache.get('a'); // a is now the most recent
    await cache.set('c', info(10, 'c'));
    expect(cache.size).toBe(2);
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.claims.sub).toBe('a');
    expect((await cache.get('c'))?.claims.sub).toBe('c');
    cache.clear();
    expect(cache.size).toBe(0);
  });
  it('keeps a token that is hit often while many others come and go', async () => {
    const cache = createTokenCache({ maxEntries: 100, now: () => 0 });
    await cache.set('busy', info(10, 'busy'));
    for (let i = 0; i < 1000; i++) {
      await cache.set(`t${i}`, info(10, `t${i}`));
      if (i % 50 === 0) expect((await cache.get('busy'))?.claims.sub).toBe('busy');
    }
    expect(cache.size).toBe(100);
    expect((await cache.get('busy'))?.claims.sub).toBe('busy');
    // The rest is least recently used first: the oldest others are gone, the newest kept.
    expect(await cache.get('t0')).toBeUndefined();
    expect(await cache.get('t899')).toBeUndefined();
    expect((await cache.get('t999'))?.claims.sub).toBe('t999');
  });
  it('evicts a token that was hit once long ago', async () => {
    const cache = createTokenCache({ maxEntries: 100, now: () => 0 });
    await cache.set('once', info(10, 'once'));
    expect(await cache.get('once')).toBeDefined();
    for (let i = 0; i < 100; i++) await cache.set(`t${i}`, info(10, `t${i}`));
    expect(await cache.get('once')).toBeUndefined();
  });
  it('refuses a bad maxEntries', () => {
    expect(() => createTokenCache({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => createTokenCache({ maxEntries: 1.5 })).toThrow(TypeError);
  });
});
