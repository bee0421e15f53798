import { bearer } from '@tokengate/testing/mint';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AuthenticationNotRunError, tokengate } from './index.js';
import type { TokengateRouteConfig } from './options.js';
import { mint, options } from './test-support/tokens.js';

async function withRoute(tokengateConfig: TokengateRouteConfig, global = false) {
  const app = Fastify();
  const ran: unknown[] = [];
  await app.register(tokengate, { ...options, global });
  app.get(
    '/r',
    {
      ...(global ? {} : { onRequest: app.authenticate }),
      config: { tokengate: tokengateConfig },
    },
    async (request) => {
      ran.push(request.auth?.claims.sub ?? null);
      return { sub: request.auth?.claims.sub ?? null };
    },
  );
  await app.ready();
  return { app, ran };
}

const get = (app: FastifyInstance, headers: Record<string, string> = {}) =>
  app.inject({ url: '/r', headers });

describe('route config.tokengate', () => {
  it('scopes: answers 403 insufficient_scope with the scope parameter', async () => {
    const { app, ran } = await withRoute({ scopes: ['read:things', 'write:things'] });
    const res = await get(app, bearer(await mint({ scope: 'read:things' })));
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read:things write:things"',
    );
    expect(res.json()).toMatchObject({
      error: 'insufficient_scope',
      code: 'ERR_INSUFFICIENT_SCOPE',
    });
    expect(ran).toEqual([]);
    const ok = await get(app, bearer(await mint({ scope: 'write:things read:things' })));
    expect(ok.statusCode).toBe(200);
  });

  it("scopeMode 'any': one of the scopes is enough", async () => {
    const { app } = await withRoute({ scopes: ['admin', 'write:things'], scopeMode: 'any' });
    expect((await get(app, bearer(await mint({ scope: 'write:things' })))).statusCode).toBe(200);
    expect((await get(app, bearer(await mint({ scope: 'read' })))).statusCode).toBe(403);
  });

  it('claims: answers 401 invalid_token naming the claim', async () => {
    const { app, ran } = await withRoute({ claims: { org: 'acme' } }, true);
    const res = await get(app, bearer(await mint({ org: 'evil' })));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_CLAIM_INVALID' });
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token".*org/);
    expect(ran).toEqual([]);
    expect((await get(app, bearer(await mint({ org: 'acme' })))).statusCode).toBe(200);
  });

  it("optional 'allow-missing': no token passes with auth undefined, a bad token is still refused", async () => {
    const { app, ran } = await withRoute({ optional: 'allow-missing' });
    const anonymous = await get(app);
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ sub: null });
    expect((await get(app, bearer('bad.token.here'))).statusCode).toBe(401);
    expect((await get(app, bearer(await mint()))).json()).toEqual({ sub: 'user-1' });
    expect(ran).toEqual([null, 'user-1']);
  });

  it("optional 'allow-invalid': a bad token passes with auth undefined, two credentials do not", async () => {
    const { app } = await withRoute({ optional: 'allow-invalid' });
    const lenient = await get(app, bearer('bad.token.here'));
    expect(lenient.statusCode).toBe(200);
    expect(lenient.json()).toEqual({ sub: null });
    expect((await get(app, { authorization: 'Bearer a b' })).statusCode).toBe(400);
  });

  it('scopes on an optional route: an anonymous request answers 401 like a missing token', async () => {
    const { app, ran } = await withRoute({ optional: 'allow-missing', scopes: 'read' });
    const res = await get(app);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(ran).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'an unknown key',
      { scope: 'read' },
      /^@tokengate\/fastify: route \/bad config.tokengate: unknown option "scope"/,
    ],
    ['a non-boolean auth', { auth: 'no' }, /config.tokengate.auth must be a boolean/],
    ['an unknown optional mode', { optional: 'maybe' }, /"optional" must be/],
    ['an empty scope list', { scopes: [] }, /at least one scope/],
    ['an invalid scope token', { scopes: ['a"b'] }, /not a valid scope token/],
    ['an unknown scopeMode', { scopes: 'a', scopeMode: 'some' }, /"scopeMode" must be/],
    ['scopeMode without scopes', { scopeMode: 'any' }, /"scopeMode" needs "scopes"/],
    ['an empty claims object', { claims: {} }, /at least one claim/],
    ['a non-object config', 'read', /config.tokengate must be an object/],
    ['an array config', ['read'], /config.tokengate must be an object/],
  ])('refuses %s with a TypeError when the route is declared', async (_name, config, message) => {
    const app = Fastify();
    await app.register(tokengate, options);
    expect(() =>
      app.get('/bad', { config: { tokengate: config as TokengateRouteConfig } }, async () => 1),
    ).toThrow(message);
    expect(() =>
      app.get('/bad2', { config: { tokengate: config as TokengateRouteConfig } }, async () => 1),
    ).toThrow(TypeError);
  });
});

describe('app.requireScopes and app.requireClaims', () => {
  it.each([
    ['requireScopes', false],
    ['requireClaims', false],
    ['requireScopes', true],
  ] as const)('%s answers 500 on a route that never authenticated (global: %s)', async (name, global) => {
    const app = Fastify();
    const ran: string[] = [];
    await app.register(tokengate, { ...options, global });
    const guard =
      name === 'requireScopes' ? app.requireScopes('read') : app.requireClaims({ org: 'acme' });
    // Under `global`, `auth: false` is what leaves a route without authentication.
    const config = global ? { tokengate: { auth: false } } : {};
    app.get('/s', { config, preHandler: guard }, async () => {
      ran.push('handler');
      return 'never';
    });
    const token = await mint({ scope: 'read', org: 'acme' });
    const res = await app.inject({ url: '/s', headers: bearer(token) });
    expect(res.statusCode).toBe(500);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.json()).toEqual({
      error: 'server_error',
      error_description: 'Authentication is not configured for this route',
      code: 'ERR_AUTHENTICATION_NOT_RUN',
    });
    expect(ran).toEqual([]);
  });

  it('hand the 500 to the error handler with passErrors', async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error);
      return reply.code(418).send({ from: 'app' });
    });
    await app.register(tokengate, { ...options, passErrors: true });
    app.get('/s', { preHandler: app.requireScopes('read') }, async () => 'never');
    const res = await app.inject({ url: '/s', headers: bearer(await mint({ scope: 'read' })) });
    expect(res.statusCode).toBe(418);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(AuthenticationNotRunError);
    expect(seen[0]).toMatchObject({ statusCode: 500, guard: 'requireScopes()' });
  });

  it('answer an anonymous request on an optional route 401 with a bare challenge', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    app.get(
      '/s',
      {
        onRequest: app.authenticate,
        config: { tokengate: { optional: 'allow-missing' } },
        preHandler: app.requireScopes('read'),
      },
      async () => 'never',
    );
    const res = await app.inject({ url: '/s' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
  });

  it('check claims after authentication', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    app.get(
      '/c',
      { onRequest: app.authenticate, preHandler: app.requireClaims({ org: 'acme' }) },
      async () => 'ok',
    );
    expect(
      (await app.inject({ url: '/c', headers: bearer(await mint({ org: 'acme' })) })).body,
    ).toBe('ok');
    const res = await app.inject({ url: '/c', headers: bearer(await mint({ org: 'x' })) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'ERR_CLAIM_INVALID' });
  });

  it('refuse misuse with a TypeError at route declaration', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    expect(() => app.requireScopes([])).toThrow(TypeError);
    expect(() => app.requireScopes('read', 'some' as never)).toThrow(TypeError);
    expect(() => app.requireClaims({})).toThrow(TypeError);
  });
});

describe('plugin options', () => {
  it.each<[string, unknown, RegExp]>([
    ['a verifier together with verifier options', { verifier: {}, secret: 'x' }, /verifier/],
    ['a verifier that is not one', { verifier: { verify() {} } }, /verifier must be a verifier/],
    ['a non-boolean global', { ...options, global: 'yes' }, /global must be a boolean/],
    ['a non-boolean passErrors', { ...options, passErrors: 1 }, /passErrors must be a boolean/],
  ])('refuse %s with a TypeError at registration', async (_name, opts, message) => {
    const app = Fastify();
    await expect(app.register(tokengate, opts as never)).rejects.toThrow(message);
  });

  it('refuse a registration without any key options (TypeError from the core)', async () => {
    const app = Fastify();
    await expect(app.register(tokengate)).rejects.toThrow(TypeError);
  });

  it('refuse bad verifier options through the core (TypeError at registration)', async () => {
    const app = Fastify();
    await expect(
      app.register(tokengate, { ...options, secret: undefined } as never),
    ).rejects.toThrow(TypeError);
  });
});
