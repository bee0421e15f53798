import fc from 'fast-check';
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
  // Segments as long as real ones: an HS256 signature is 43 characters, an ES256 one 86.
  const header = 'eyJhbGciOiJFUzI1NiJ9';
  const payload = 'eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE5MDAwMDAwMDB9';
  const signature = `${'Q'.repeat(42)}w${'A'.repeat(43)}`;
  const jws = `${header}.${payload}.${signature}`;
  const jwe = `${header}.${'k'.repeat(43)}.${'i'.repeat(16)}.${'c'.repeat(60)}.${'t'.repeat(22)}`;
  const changedAt = (token: string, at: number) =>
    token.slice(0, at) + (token[at] === 'x' ? 'y' : 'x') + token.slice(at + 1);

  it.each([
    ['a JWS (keyed by the end of its signature, the rest kept)', jws],
    ['a JWS with a signature as short as HS256', `${header}.${payload}.${'s'.repeat(43)}`],
    ['a JWS shorter than the hashed end (keyed whole)', 'a.b.c'],
    ['a JWE (keyed whole)', jwe],
    ['any other shape (keyed whole)', 'a..b'],
  ])('finds %s under the same token only, whatever character differs', (_, token) => {
    const cache = createTokenCache({ now: () => 0 }, webTokenDigest);
    cache.set(token, info(10, token));
    expect(cache.get(token)?.claims.sub).toBe(token);
    for (let at = 0; at < token.length; at++)
      expect(cache.get(changedAt(token, at)), `character ${at} changed`).toBeUndefined();
    const others = [
      token.slice(1),
      token.slice(0, -1),
      `${token}.`,
      `x${token}`,
      `${token}A`,
      token.slice(-43),
      token.slice(0, -43),
    ];
    for (const other of others.filter((other) => other !== token))
      expect(cache.get(other), other).toBeUndefined();
    expect(cache.get(token)?.claims.sub).toBe(token);
  });
  it('hits only a token it holds, among tokens alike but for a few characters', () => {
    // Heads, ends and lengths shared across tokens, so that neither the key nor the kept head
    // alone decides a hit.
    const cache = createTokenCache({ now: () => 0 }, webTokenDigest);
    const end = signature.slice(-43);
    const otherEnd = 'B'.repeat(43);
    const sameHeadOtherEnd = jws.slice(0, -43) + otherEnd;
    const stored = [jws, sameHeadOtherEnd, 'a.b.c'];
    for (const token of stored) cache.set(token, info(10, token));
    const probes = [
      ...stored,
      `eyJhbGciOiJIUzI1NiJ9.${payload}.${signature}`,
      `${header}.${payload}.${end}`,
      `${header}.${payload}.${otherEnd}${end}`,
      end,
      `${end}.a.b`,
      `a.b.c${end}`,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...probes),
        fc.nat(),
        fc.constantFrom('', 'A', '.', 'w'),
        (base, at, insert) => {
          const position = at % (base.length + 1);
          const token = base.slice(0, position) + insert + base.slice(position);
          const hit = cache.get(token);
          if (stored.includes(token)) expect(hit?.claims.sub).toBe(token);
          else expect(hit).toBeUndefined();
        },
      ),
      { seed: 20261206, numRuns: 2000 },
    );
  });
  it('refuses a bad maxEntries', () => {
    expect(() => createTokenCache({ maxEntries: 0 }, webTokenDigest)).toThrow(TypeError);
    expect(() => createTokenCache({ maxEntries: 1.5 }, webTokenDigest)).toThrow(TypeError);
  });
});
