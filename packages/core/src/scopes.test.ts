import { describe, expect, it } from 'vitest';
import { InsufficientScopeError, InvalidClaimError } from './errors.js';
import { checkClaims, checkScopes, claimsCheck, getScopes, scopeCheck } from './scopes.js';

const auth = (claims: Record<string, unknown>) => ({ claims, scopes: getScopes(claims) });

describe('getScopes', () => {
  it('reads a space-separated scope, an scp array or string, and permissions', () => {
    expect([...getScopes({ scope: 'read  write' })]).toEqual(['read', 'write']);
    expect([...getScopes({ scp: ['a', 'b'] })]).toEqual(['a', 'b']);
    expect([...getScopes({ scp: 'a b' })]).toEqual(['a', 'b']);
    expect([...getScopes({ permissions: ['admin'], scope: 'read' })]).toEqual(['read', 'admin']);
  });
  it('ignores values that are not strings', () => {
    expect([...getScopes({ scope: 42, scp: [1, null, 'ok'], permissions: {} } as never)]).toEqual([
      'ok',
    ]);
  });
});

describe('scope checks', () => {
  it('requires every scope by default', () => {
    expect(() => checkScopes(auth({ scope: 'read' }), ['read'])).not.toThrow();
    const err = (() => {
      try {
        checkScopes(auth({ scope: 'read' }), ['read', 'write']);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InsufficientScopeError);
    expect((err as InsufficientScopeError).wwwAuthenticate).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope", scope="read write"',
    );
  });
  it('accepts any one scope in any mode', () => {
    expect(() => checkScopes(auth({ scp: ['write'] }), ['admin', 'write'], 'any')).not.toThrow();
    expect(() => checkScopes(auth({ scp: ['read'] }), ['admin', 'write'], 'any')).toThrow(
      InsufficientScopeError,
    );
  });
  it('refuses a token with no scopes at all', () => {
    expect(() => checkScopes(auth({}), 'read')).toThrow(InsufficientScopeError);
  });
  it('refuses misuse at construction with a TypeError', () => {
    expect(() => scopeCheck([])).toThrow(TypeError);
    expect(() => scopeCheck(['has space'])).toThrow(/not a valid scope token/);
    expect(() => scopeCheck(['a"b'])).toThrow(TypeError);
    expect(() => scopeCheck(['a'], 'some' as never)).toThrow(/"scopeMode"/);
  });
});

describe('claim checks', () => {
  const claims = { org: 'acme', roles: ['admin', 'dev'], groups: 'a b', level: 3, active: true };
  it('matches equal values, membership in arrays, includes, oneOf and predicates', () => {
    expect(() =>
      checkClaims(auth(claims), {
        org: 'acme',
        roles: 'admin',
        groups: { includes: ['a', 'b'] },
        level: { oneOf: [2, 3] },
        active: true,
        sub: (v: unknown) => v === undefined,
      }),
    ).not.toThrow();
  });
  it('names the first claim that fails', () => {
    expect(() => checkClaims(auth(claims), { org: 'other' })).toThrow(new InvalidClaimError('org'));
    try {
      checkClaims(auth(claims), { roles: { includes: ['admin', 'root'] } });
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidClaimError);
      expect((e as InvalidClaimError).claim).toBe('roles');
      expect((e as InvalidClaimError).message).toBe('The "roles" claim is invalid');
    }
    expect.assertions(4);
  });
  it('does not read inherited properties as claims', () => {
    expect(() =>
      checkClaims(auth(claims), { constructor: (v: unknown) => v !== undefined }),
    ).toThrow(InvalidClaimError);
  });
  it('treats a predicate that returns a truthy non-boolean as a failure', () => {
    expect(() => checkClaims(auth(claims), { org: (() => 'yes') as never })).toThrow(
      InvalidClaimError,
    );
  });
  it('refuses misuse at construction with a TypeError', () => {
    expect(() => claimsCheck({})).toThrow(TypeError);
    expect(() => claimsCheck({ org: null as never })).toThrow(/"org"/);
    expect(() => claimsCheck({ org: { includes: [] } })).toThrow(TypeError);
    expect(() => claimsCheck({ org: { oneOf: [] } })).toThrow(TypeError);
  });
});
