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
 * plugin's hook finished without waiting for a promise.
 */
async function build(
  plugin: Record<string, unknown>,
  tokengateConfig?: TokengateRouteConfig,
  explicit = false,
) {
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
      onRequest: [
        ...(explicit ? [app.authenticate] : []),
        (_request, _reply, done) => {
          events.push('route hook');
          done();
        },
      ],
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

/** A verifier of the application's own making (a test double): only `authenticate`. */
function handMade(): Pick<Verifier<unknown>, 'authenticate'> {
  const real = createVerifier<unknown>(options);
  return { authenticate: vi.fn((request, opts) => real.authenticate(request, opts)) };
}

describe.each([
  { mode: 'global mode', plugin: { ...options, global: true }, route: undefined, explicit: false },
  { mode: 'config.tokengate', plugin: options, route: {}, explicit: false },
  { mode: 'app.authenticate', plugin: options, route: undefined, explicit: true },
])('the $mode hook on the synchronous path', ({ plugin, route, explicit }) => {
  it('puts the token on request.auth and calls done before returning', async () => {
    const { app, events } = await build(plugin, route, explicit);
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'user-1' });
    // (Fastify may run the handler inside that same call too: not what is checked here.)
    expect(events.filter((event) => event !== 'handler')).toEqual(['route hook', 'returned']);
    expect(events).toContain('handler');
  });

  it('answers a forged token with 401 before returning', async () => {
    const { app, events } = await build(plugin, route, explicit);
    const res = await get(app, await mint({}, { key: 'stranger' }));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token signature is invalid"',
    );
    expect(res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(events).toEqual(['returned, answered']);
  });

  it('runs the route scope check on the synchronous result and answers 403', async () => {
    const { app, events } = await build(plugin, { scopes: 'admin' }, explicit);
    const res = await get(app, await mint({ scope: 'read' }));
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="admin"',
    );
    expect(events).toEqual(['returned, answered']);
  });

  it('hands a missing token to the error handler before returning with passErrors', async () => {
    const { app, events, errors } = await build({ ...plugin, passErrors: true }, route, explicit);
    const res = await get(app);
    expect(res.statusCode).toBe(418);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MissingTokenError);
    expect(events).toEqual(['returned, answered']);
  });

  it('hands a synchronous non-tokengate failure of the verifier to the error handler', async () => {
    const bug = new RangeError('a bug in a custom verifier');
    const verifier = {
      authenticate: () => {
        throw bug;
      },
    };
    const { global } = plugin as { global?: boolean };
    const { app, events, errors } = await build({ verifier, global }, route, explicit);
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(418);
    expect(errors).toEqual([bug]);
    expect(events).not.toContain('handler');
  });

  it('waits for a thenable that is not a native promise instead of taking it for claims', async () => {
    const verifier = { authenticate: () => foreignRejection(new InvalidSignatureError()) };
    const { global } = plugin as { global?: boolean };
    const { app, events } = await build({ verifier, global }, route, explicit);
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(events).toEqual(['returned']);
  });

  it("drives a verifier of the application's own making through its authenticate()", async () => {
    const verifier = handMade();
    const { global } = plugin as { global?: boolean };
    const { app, events } = await build({ verifier, global }, route, explicit);
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
    app.get('/me', { config, ...(explicit ? { onRequest: app.authenticate } : {}) }, () => {
      throw thrown;
    });
    const res = await get(app, await mint());
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ from: 'app' });
    expect(errors).toEqual([thrown]);
  });
});
