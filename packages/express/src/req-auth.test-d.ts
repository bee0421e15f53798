import type { Request, RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthInfo,
  createVerifier,
  jwtAuth,
  requireClaims,
  requireScopes,
  TokenExpiredError,
  type TokengateError,
} from './index.js';

declare global {
  namespace Tokengate {
    interface Register {
      claims: { sub: string; org: string; roles: string[] };
    }
  }
}

describe('req.auth', () => {
  it('is an optional AuthInfo, never a required property', () => {
    expectTypeOf<Request['auth']>().toEqualTypeOf<AuthInfo | undefined>();
    // @ts-expect-error: may be unset on routes without jwtAuth()
    const required: AuthInfo = ({} as Request).auth;
    void required;
  });

  it('carries the claims registered on core', () => {
    const req = {} as Request;
    expectTypeOf(req.auth?.claims.org).toEqualTypeOf<string | undefined>();
    expectTypeOf(req.auth!.claims.sub).toEqualTypeOf<string>();
    expectTypeOf(req.auth!.claims.exp).toEqualTypeOf<number | undefined>();
    expectTypeOf(req.auth!.scopes).toEqualTypeOf<ReadonlySet<string>>();
  });
});

describe('req.auth is read-only, as it is frozen at runtime', () => {
  it('refuses a write to the claims or the header, and reads them as before', () => {
    const handler: RequestHandler = (req, res) => {
      if (req.auth === undefined) return res.sendStatus(401);
      // @ts-expect-error a claim is read-only
      req.auth.claims.org = 'globex';
      // @ts-expect-error an array claim is a readonly array
      req.auth.claims.roles.push('admin');
      // @ts-expect-error a header parameter is read-only
      req.auth.header.kid = 'k2';
      // @ts-expect-error the scopes are a ReadonlySet
      req.auth.scopes.add('admin');
      expectTypeOf(req.auth.claims.roles).toEqualTypeOf<readonly string[]>();
      return res.json({ org: req.auth.claims.org.toUpperCase(), roles: req.auth.claims.roles });
    };
    void handler;
  });
});

describe('middleware factories', () => {
  it('return Express request handlers', () => {
    expectTypeOf(jwtAuth({ secret: 's', algorithms: ['HS256'] })).toEqualTypeOf<RequestHandler>();
    expectTypeOf(
      jwtAuth(createVerifier({ secret: 's' }), { passErrors: true }),
    ).toEqualTypeOf<RequestHandler>();
    expectTypeOf(requireScopes('read')).toEqualTypeOf<RequestHandler>();
    expectTypeOf(requireClaims({ org: 'acme' })).toEqualTypeOf<RequestHandler>();
  });

  it('refuse adapter options that do not exist and optional modes that are not modes', () => {
    // @ts-expect-error: unknown option
    jwtAuth({ secret: 's', passErorrs: true });
    // @ts-expect-error: not an optional mode
    jwtAuth({ secret: 's', optional: 'sometimes' });
    // @ts-expect-error: not a scope mode
    requireScopes('read', 'most');
  });

  it('re-exports core error classes for instanceof checks', () => {
    expectTypeOf(new TokenExpiredError()).toExtend<TokengateError>();
    expectTypeOf(new TokenExpiredError().statusCode).toEqualTypeOf<number>();
  });
});
