import type { AuthInfo, RegisteredClaims } from '@tokengate/core';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { jwtAuth, requireScopes, type TokengateEnv } from './index.js';

declare global {
  namespace Tokengate {
    interface Register {
      claims: { sub: string; org: string; roles: string[] };
    }
  }
}

const options = { secret: 'x'.repeat(32), algorithms: ['HS256'] };

describe('c.var.auth types', () => {
  it('is the registered AuthInfo on a route with jwtAuth inline', () => {
    new Hono().get('/', jwtAuth(options), (c) => {
      expectTypeOf(c.var.auth).toEqualTypeOf<AuthInfo<RegisteredClaims>>();
      expectTypeOf(c.var.auth.claims.org).toEqualTypeOf<string>();
      expectTypeOf(c.get('auth').claims.sub).toEqualTypeOf<string>();
      return c.text('ok');
    });
  });

  it('may be undefined on a route with optional auth', () => {
    new Hono().get('/', jwtAuth(options, { optional: 'allow-missing' }), (c) => {
      expectTypeOf(c.var.auth).toEqualTypeOf<AuthInfo<RegisteredClaims> | undefined>();
      return c.text('ok');
    });
    new Hono().get('/', jwtAuth({ ...options, optional: 'allow-invalid' as const }), (c) => {
      expectTypeOf(c.var.auth).toEqualTypeOf<AuthInfo<RegisteredClaims> | undefined>();
      return c.text('ok');
    });
  });

  it('is AuthInfo on an app typed with TokengateEnv', () => {
    new Hono<TokengateEnv>().get('/', (c) => {
      expectTypeOf(c.var.auth.claims.org).toEqualTypeOf<string>();
      return c.text('ok');
    });
  });

  it('is possibly unset on an untyped app (ContextVariableMap)', () => {
    new Hono().get('/', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<AuthInfo<RegisteredClaims> | undefined>();
      return c.text('ok');
    });
  });

  it('is the registered AuthInfo after a guard', () => {
    new Hono().get('/', requireScopes('read'), (c) => {
      expectTypeOf(c.var.auth).toEqualTypeOf<AuthInfo<RegisteredClaims>>();
      return c.text('ok');
    });
  });

  it('is read-only, as it is frozen at runtime', () => {
    new Hono().get('/', jwtAuth(options), (c) => {
      // @ts-expect-error a claim is read-only
      c.var.auth.claims.org = 'globex';
      // @ts-expect-error an array claim is a readonly array
      c.var.auth.claims.roles.push('admin');
      // @ts-expect-error a header parameter is read-only
      c.get('auth').header.kid = 'k2';
      expectTypeOf(c.var.auth.claims.roles).toEqualTypeOf<readonly string[]>();
      return c.text(c.var.auth.claims.roles.includes('admin') ? 'admin' : c.var.auth.claims.org);
    });
  });

  it('rejects unknown adapter options at compile time', () => {
    // @ts-expect-error not an adapter option
    jwtAuth(options, { realm: 'x' });
  });
});
