import { createServer, type RequestListener } from 'node:http';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthInfo, createVerifier, jwtAuth, requireClaims, requireScopes } from './index.js';

declare module '@tokengate/core' {
  interface Register {
    claims: { sub: string; org: string };
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
