import { describe, expect, it } from 'vitest';
import { createTokenCache } from './cache.js';
import type { AuthInfo, JWTClaims } from './types.js';
import { webTokenDigest } from './web/digest.js';

const info = (exp: number | undefined, sub = 'u'): AuthInfo<JWTClaims> => ({
  token: 'ignored',
  header: { alg: 'HS256' },
  claims: exp === undefined ? { sub } : { sub, exp },
  scopes: new Set(['read']),
});

describe('createTokenCache', () => {
  it('returns the cached verification for the exact same token only', () => {
    let now = 1_000_000;
    const cache = createTokenCache({ now: () => now }, webTokenDigest);
    cache.set('a.b.c', info(2000));
    const hit = cache.get('a.b.c');
    expect(hit?.claims.sub).toBe('u');
    expect(hit?.token).toBe('a.b.c');
    expect(cache.get('a.b.d')).toBeUndefined();
    now = 1_999_999;
    expect(cache.get('a.b.c')).toBeDefined();
  });
  it('never keeps an entry past the token exp', () => {
    let now = 1_000_000;
    const cache = createTokenCache({ now: () => now }, webTokenDigest);
    cache.set('t', info(2000));
    now = 2_000_000;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
  it('does not cache tokens without a numeric exp or already expired', () => {
    const cache = createTokenCache({ now: () => 5_000_000 }, webTokenDigest);
    cache.set('no-exp', info(undefined));
    cache.set('expired', info(4000));
    cache.set('string-exp', { ...info(undefined), claims: { exp: '9999' as never } });
    expect(cache.size).toBe(0);
  });
  it('evicts the least recently used entry past maxEntries', () => {
    const cache = createTokenCache({ maxEntries: 2, now: () => 0 }, webTokenDigest);
    cache.set('a', info(10, 'a'));
    cache.set('b', info(10, 'b'));
    cache.get('a'); // a is now the most recent
    cache.set('c', info(10, 'c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.claims.sub).toBe('a');
    expect(cache.get('c')?.claims.sub).toBe('c');
    cache.clear();
    expect(cache.size).toBe(0);
  });
  it('keeps a token that is hit often while many others come and go', () => {
    const cache = createTokenCache({ maxEntries: 100, now: () => 0 }, webTokenDigest);
    cache.set('busy', info(10, 'busy'));
    for (let i = 0; i < 1000; i++) {
      cache.set(`t${i}`, info(10, `t${i}`));
      if (i % 50 === 0) expect(cache.get('busy')?.claims.sub).toBe('busy');
    }
    expect(cache.size).toBe(100);
    expect(cache.get('busy')?.claims.sub).toBe('busy');
    // The rest is least recently used first: the oldest others are gone, the newest kept.
    expect(cache.get('t0')).toBeUndefined();
    expect(cache.get('t899')).toBeUndefined();
    expect(cache.get('t999')?.claims.sub).toBe('t999');
  });
  it('evicts a token that was hit once long ago', () => {
    const cache = createTokenCache({ maxEntries: 100, now: () => 0 }, webTokenDigest);
    cache.set('once', info(10, 'once'));
    expect(cache.get('once')).toBeDefined();
    for (let i = 0; i < 100; i++) cache.set(`t${i}`, info(10, `t${i}`));
    expect(cache.get('once')).toBeUndefined();
  });
  it.each([
    [
      'a JWS (keyed by its signature, its signing input kept)',
      ['head.body.sig'],
      ['head.other.sig', 'other.body.sig', 'headbody.sig', 'head.body.sig.', 'x.head.body.sig'],
    ],
    [
      'any other shape, such as a JWE (keyed whole)',
      ['p.k.iv.ct.tag', 'a..b'],
      ['p.k.iv.other.tag', 'p.k.iv.ct.tag2', 'ct.tag', 'iv.ct.tag', 'a..c', 'a.b'],
    ],
  ])('finds %s only under the same token', (_, stored, others) => {
    const cache = createTokenCache({ now: () => 0 }, webTokenDigest);
    for (const token of stored) cache.set(token, info(10, token));
    for (const token of stored) expect(cache.get(token)?.claims.sub).toBe(token);
    for (const other of [...others, 'head.body.sig2', 'head.body.si'])
      expect(cache.get(other)).toBeUndefined();
  });
  it('refuses a bad maxEntries', () => {
    expect(() => createTokenCache({ maxEntries: 0 }, webTokenDigest)).toThrow(TypeError);
    expect(() => createTokenCache({ maxEntries: 1.5 }, webTokenDigest)).toThrow(TypeError);
  });
});
