import { foreignRejection } from '@tokengate/conformance';
import {
  createVerifier,
  InvalidSignatureError,
  MissingTokenError,
  type Verifier,
} from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { type TokengateRouteConfig, tokengate } from './index.js';
import { mint, options } from './test-support/tokens.js';

/**
 * An app whose first `onRequest` hook (ahead of the plugin's) notes when `done()` returns,
 * and whose route hook (after it) notes when it runs: `['route hook', 'returned']` means the
 * plugin's hook finished without a promise turn (issue 10).
 */
async function build(plugin: Record<string, unknown>, tokengateConfig?: TokengateRouteConfig) {
  const app = Fastify();
  const events: string[] = [];
  const errors: unknown[] = [];
  app.setErrorHandler((error, _request, reply) => {
    errors.push(error);
    return reply.code(418).send({ from: 'app' });
  });
  app.addHook('onRequest', (_request, reply, done) => {
    done();
    events.push(reply.sent ? 'returned, answered' : 'returned');
  });
  await app.register(tokengate, plugin as never);
  const config: { tokengate?: TokengateRouteConfig } =
    tokengateConfig === undefined ? {} : { tokengate: tokengateConfig };
  app.get(
    '/me',
    {
      config,
      onRequest: (_request, _reply, done) => {
        events.push('route hook');
        done();
      },
    },
    async (request) => {
      events.push('handler');
      return { sub: request.auth?.claims.sub ?? null };
    },
  );
  await app.ready();
  return { app, events, errors };
}

async function get(app: FastifyInstance, token?: string) {
  return app.inject({ url: '/me', headers: token === undefined ? {} : bearer(token) });
}

/** A verifier-like object without `authenticateNow`, as a test double may be. */
function handMade(): Pick<Verifier<unknown>, 'authenticate' | 'prepareError'> {
  const real = createVerifier<unknown>(options);
  return {
    authenticate: vi.fn((request, opts) => real.authenticate(request, opts)),
    prepareError: (error) => real.prepareError(error),
  };
}

describe.each([
  { mode: 'global mode', plugin: { ...options, global: true }, route: undefined },
  { mode: 'config.tokengate', plugin: options, route: {} },
])('the $mode hook on the synchronous path', ({ plugin, route }) => {
  it('puts the token on request.auth and calls done before returning', async () => {
    const { app, events } = await build(plugin, route);
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'user-1' });
    // (Fastify may run the handler inside that same call too: not what is checked here.)
    expect(events.filter((event) => event !== 'handler')).toEqual(['route hook', 'returned']);
    expect(events).toContain('handler');
  });

  it('answers a forged token with 401 before returning', async () => {
    const { app, events } = await build(plugin, route);
    const res = await get(app, await mint({}, { key: 'stranger' }));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token signature is invalid"',
    );
    expect(res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(events).toEqual(['returned, answered']);
  });

  it('runs the route scope check on the synchronous result and answers 403', async () => {
    const { app, events } = await build(plugin, { scopes: 'admin' });
    const res = await get(app, await mint({ scope: 'read' }));
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="admin"',
    );
    expect(events).toEqual(['returned, answered']);
  });

  it('hands a missing token to the error handler before returning with passErrors', async () => {
    const { app, events, errors } = await build({ ...plugin, passErrors: true }, route);
    const res = await get(app);
    expect(res.statusCode).toBe(418);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MissingTokenError);
    expect(events).toEqual(['returned, answered']);
  });

  it('hands a synchronous non-tokengate failure of the verifier to the error handler', async () => {
    const bug = new RangeError('a bug in a custom verifier');
    const verifier = createVerifier<unknown>(options);
    vi.spyOn(verifier, 'authenticateNow').mockImplementation(() => {
      throw bug;
    });
    const { global } = plugin as { global?: boolean };
    const { app, events, errors } = await build({ verifier, global }, route);
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(418);
    expect(errors).toEqual([bug]);
    expect(events).not.toContain('handler');
  });

  it('waits for a thenable that is not a native promise instead of taking it for claims', async () => {
    const verifier = createVerifier<unknown>(options);
    const refused = verifier.prepareError(new InvalidSignatureError());
    vi.spyOn(verifier, 'authenticateNow').mockImplementation(
      () => foreignRejection(refused) as never,
    );
    const { global } = plugin as { global?: boolean };
    const { app, events } = await build({ verifier, global }, route);
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(events).toEqual(['returned']);
  });

  it('falls back to authenticate() for a verifier without authenticateNow', async () => {
    const verifier = handMade();
    const { global } = plugin as { global?: boolean };
    const { app, events } = await build({ verifier, global }, route);
    const ok = await get(app, await mint());
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ sub: 'user-1' });
    // Through the promise: the plugin's hook had not called done when it returned.
    expect(events).toEqual(['returned', 'route hook', 'handler']);
    const denied = await get(app);
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(verifier.authenticate).toHaveBeenCalledTimes(2);
  });

  it("leaves what the handler throws to the app's error handler, not a 401", async () => {
    const app = Fastify();
    const errors: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      errors.push(error);
      return reply.code(418).send({ from: 'app' });
    });
    await app.register(tokengate, plugin as never);
    const thrown = new MissingTokenError();
    const config: { tokengate?: TokengateRouteConfig } =
      route === undefined ? {} : { tokengate: route };
    app.get('/me', { config }, () => {
      throw thrown;
    });
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ from: 'app' });
    expect(errors).toEqual([thrown]);
  });
});
