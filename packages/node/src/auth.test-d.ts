import { createServer, type RequestListener } from 'node:http';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthInfo, createVerifier, jwtAuth, requireClaims, requireScopes } from './index.js';

declare global {
  namespace Tokengate {
    interface Register {
      claims: { sub: string; org: string; roles: string[] };
    }
  }
}

describe('the auth argument of a handler', () => {
  it('is AuthInfo or undefined, with the claims registered on core', () => {
    jwtAuth({ secret: 's' })((_req, _res, auth) => {
      expectTypeOf(auth).toEqualTypeOf<AuthInfo | undefined>();
      expectTypeOf(auth?.claims.org).toEqualTypeOf<string | undefined>();
      expectTypeOf(auth!.scopes).toEqualTypeOf<ReadonlySet<string>>();
    });
  });
});

describe('the auth argument is read-only, as it is frozen at runtime', () => {
  it('refuses a write to the claims or the header, and reads them as before', () => {
    jwtAuth({ secret: 's' })((_req, res, auth) => {
      if (auth === undefined) return res.end();
      // @ts-expect-error a claim is read-only
      auth.claims.org = 'globex';
      // @ts-expect-error an array claim is a readonly array
      auth.claims.roles.push('admin');
      // @ts-expect-error a header parameter is read-only
      auth.header.kid = 'k2';
      expectTypeOf(auth.claims.roles).toEqualTypeOf<readonly string[]>();
      return res.end(auth.claims.org.toUpperCase());
    });
  });
});

describe('wrappers', () => {
  it('return node:http request listeners, and a plain listener is a handler', () => {
    const plain: RequestListener = (_req, res) => res.end();
    expectTypeOf(jwtAuth(createVerifier({ secret: 's' }))(plain)).toEqualTypeOf<RequestListener>();
    expectTypeOf(requireScopes('read')(plain)).toEqualTypeOf<RequestListener>();
    createServer(jwtAuth({ secret: 's' })(requireClaims({ org: 'acme' })(plain)));
  });

  it('refuse options that do not exist or are not modes', () => {
    // @ts-expect-error: unknown option
    jwtAuth({ secret: 's' }, { passErrors: true });
    // @ts-expect-error: not an optional mode
    jwtAuth({ secret: 's' }, { optional: 'sometimes' });
    // @ts-expect-error: not a scope mode
    requireScopes('read', 'most');
  });
});
