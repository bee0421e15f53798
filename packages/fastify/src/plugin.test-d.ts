import Fastify, { type HookHandlerDoneFunction } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthInfo,
  type JWTClaims,
  type RegisteredClaims,
  type TokengateHook,
  type TokengateOptions,
  tokengate,
} from './index.js';

declare global {
  namespace Tokengate {
    interface Register {
      claims: { sub: string; org: string; roles: string[] };
    }
  }
}

describe('types', () => {
  it('types request.auth from the core Register, and as possibly undefined', () => {
    const app = Fastify();
    app.get('/me', { onRequest: app.authenticate }, async (request) => {
      expectTypeOf(request.auth).toEqualTypeOf<AuthInfo<RegisteredClaims> | undefined>();
      expectTypeOf(request.auth!.claims.org).toEqualTypeOf<string>();
      expectTypeOf(request.auth!.claims.sub).toEqualTypeOf<string>();
      expectTypeOf(request.auth!.claims).toExtend<JWTClaims>();
      expectTypeOf(request.auth!.scopes).toEqualTypeOf<ReadonlySet<string>>();
      // @ts-expect-error auth may be undefined on an optional or unprotected route
      request.auth.claims;
      return 'ok';
    });
  });

  it('types request.auth read-only, as it is frozen at runtime', () => {
    const app = Fastify();
    app.get('/me', { onRequest: app.authenticate }, async (request) => {
      const auth = request.auth!;
      // @ts-expect-error a claim is read-only
      auth.claims.org = 'globex';
      // @ts-expect-error an array claim is a readonly array
      auth.claims.roles.push('admin');
      // @ts-expect-error a header parameter is read-only
      auth.header.kid = 'k2';
      expectTypeOf(auth.claims.roles).toEqualTypeOf<readonly string[]>();
      return { org: auth.claims.org.toUpperCase(), admin: auth.claims.roles.includes('admin') };
    });
  });

  it('accepts route config.tokengate and refuses a bad optional mode', () => {
    const app = Fastify();
    app.get('/a', { config: { tokengate: { auth: false } } }, async () => 1);
    app.get(
      '/b',
      {
        onRequest: app.authenticate,
        preHandler: [app.requireScopes(['a', 'b'], 'any'), app.requireClaims({ org: 'acme' })],
        config: {
          tokengate: {
            optional: 'allow-missing',
            scopes: ['read'],
            scopeMode: 'any',
            claims: { org: 'acme', roles: { includes: 'admin' } },
          },
        },
      },
      async () => 1,
    );
    // @ts-expect-error not an optional mode
    app.get('/c', { config: { tokengate: { optional: 'sometimes' } } }, async () => 1);
  });

  it('decorates the instance with hooks usable as onRequest and preHandler', () => {
    const app = Fastify();
    expectTypeOf(app.authenticate).toEqualTypeOf<TokengateHook>();
    expectTypeOf(app.requireScopes('read')).toEqualTypeOf<TokengateHook>();
    expectTypeOf(app.authenticate).parameter(2).toEqualTypeOf<HookHandlerDoneFunction>();
    app.addHook('onRequest', app.authenticate);
    app.addHook('preHandler', app.requireScopes('read'));
    app.get<{ Params: { id: string }; Querystring: { q?: string } }>(
      '/things/:id',
      { onRequest: [app.authenticate], preHandler: app.requireClaims({ org: 'acme' }) },
      async (request) => {
        expectTypeOf(request.params.id).toEqualTypeOf<string>();
        return request.auth?.claims.org;
      },
    );
  });

  it('takes verifier options or a verifier, plus plugin settings', async () => {
    const app = Fastify();
    await app.register(tokengate, { secret: 'x'.repeat(32), algorithms: ['HS256'], global: true });
    expectTypeOf<{ passErrors: true; jwksUri: string }>().toExtend<TokengateOptions>();
    // @ts-expect-error global is a boolean
    await app.register(tokengate, { secret: 's', global: 'yes' });
  });
});
