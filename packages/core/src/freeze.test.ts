// Frozen results (freeze.ts): scope sets are sealed, and shared between tokens with the same
// `scope` string through a bounded memo, so that a verification allocates no Set of its own.
import { describe, expect, it } from 'vitest';
import { freezeVerified, SealedSet } from './freeze.js';

const header = { alg: 'HS256' };
const verified = (claims: Record<string, unknown>) => freezeVerified('t', { ...header }, claims);

describe('freezeVerified', () => {
  it('freezes the result, its header and claims, nested values included', () => {
    const auth = verified({ sub: 'a', scope: 'read', roles: ['x'], meta: { team: 'y' } });
    expect(Object.isFrozen(auth) && Object.isFrozen(auth.header)).toBe(true);
    expect(Object.isFrozen(auth.claims.roles) && Object.isFrozen(auth.claims.meta)).toBe(true);
    expect(() => (auth.scopes as Set<string>).add('admin')).toThrow(TypeError);
  });

  it('shares one sealed set between tokens with the same scope string', () => {
    const a = verified({ sub: 'a', scope: 'read write' });
    const b = verified({ sub: 'b', scope: 'read write' });
    expect(b.scopes).toBe(a.scopes);
    expect(a.scopes).toBeInstanceOf(SealedSet);
    expect([...a.scopes]).toEqual(['read', 'write']);
    expect(verified({ sub: 'c', scope: 'read' }).scopes).not.toBe(a.scopes);
    expect(verified({ sub: 'd' }).scopes.size).toBe(0);
  });

  it('builds its own set when scp or permissions add to the scope', () => {
    const a = verified({ scope: 'read', scp: ['write'] });
    const b = verified({ scope: 'read', permissions: ['admin'] });
    expect([...a.scopes]).toEqual(['read', 'write']);
    expect([...b.scopes]).toEqual(['read', 'admin']);
    expect(verified({ scope: 'read' }).scopes).not.toBe(a.scopes);
    expect(() => (b.scopes as Set<string>).delete('read')).toThrow(TypeError);
  });

  it('keeps the memo bounded: it is dropped once it holds 256 scope strings', () => {
    const first = verified({ scope: 'memo-0' }).scopes;
    expect(verified({ scope: 'memo-0' }).scopes).toBe(first);
    for (let i = 1; i <= 300; i++) verified({ scope: `memo-${i}` });
    const again = verified({ scope: 'memo-0' }).scopes;
    expect(again).not.toBe(first);
    expect([...again]).toEqual(['memo-0']);
  });

  it('does not memoize very long scope strings', () => {
    const scope = Array.from({ length: 300 }, (_, i) => `scope:${i}`).join(' ');
    const a = verified({ scope });
    expect(a.scopes.size).toBe(300);
    expect(verified({ scope }).scopes).not.toBe(a.scopes);
  });
});
