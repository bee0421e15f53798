import { bearer, createSecretMinter } from '@tokengate/testing/mint';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { tokengate } from './index.js';
import { countingVerifier } from './test-support/tokens.js';

const minter = createSecretMinter({ subject: 'user-1' });
const options = { ...minter.verifierOptions(), realm: 'api' };
const other = createSecretMinter({
  subject: 'user-2',
  secret: 'the-second-issuer-secret-at-least-32-bytes',
});

const admin = { tokengate: { scopes: ['admin'] } };

/** Token-less, wrong-scope and right-scope requests, and whether the handler ran. */
async function probe(app: FastifyInstance, url: string, mint = minter.mint) {
  const anonymous = await app.inject({ url });
  const wrongScope = await app.inject({ url, headers: bearer(await mint({ scope: 'read' })) });
  const ok = await app.inject({ url, headers: bearer(await mint({ scope: 'admin' })) });
  return [anonymous.statusCode, wrongScope.statusCode, ok.statusCode];
}

describe('a route with config.tokengate declared before the plugin is registered', () => {
  it('is protected in the same context', async () => {
    const app = Fastify();
    app.get('/admin', { config: admin }, async () => 'secret');
    await app.register(tokengate, options);
    expect(await probe(app, '/admin')).toEqual([401, 403, 200]);
    const res = await app.inject({ url: '/admin' });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).not.toBe('secret');
  });

  it('is protected when the plugin is registered later in the same child context', async () => {
    const app = Fastify();
    await app.register(async (api) => {
      api.get('/api/admin', { config: admin }, async () => 'secret');
      await api.register(tokengate, options);
    });
    expect(await probe(app, '/api/admin')).toEqual([401, 403, 200]);
  });

  it('is protected in a child context registered after the plugin', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    await app.register(async (api) => {
      api.get('/api/admin', { config: admin }, async () => 'secret');
    });
    expect(await probe(app, '/api/admin')).toEqual([401, 403, 200]);
  });

  it('hands the error to the error handler with passErrors', async () => {
    const app = Fastify();
    app.setErrorHandler((error: { statusCode?: number; code?: string }, _request, reply) =>
      reply.code(error.statusCode ?? 500).send({ handled: error.code }),
    );
    app.get('/admin', { config: admin }, async () => 'secret');
    await app.register(tokengate, { ...options, passErrors: true });
    const res = await app.inject({ url: '/admin' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ handled: 'ERR_TOKEN_MISSING' });
  });

  it('fails closed with 500 when the config declared before the plugin is malformed', async () => {
    const app = Fastify();
    const ran = vi.fn();
    app.get(
      '/admin',
      { config: { tokengate: { scopes: 'admin', bogus: 1 } as never } },
      async () => {
        ran();
        return 'secret';
      },
    );
    await app.register(tokengate, options);
    const res = await app.inject({ url: '/admin', headers: bearer(await minter.mint()) });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/at .*\.ts/);
    expect(ran).not.toHaveBeenCalled();
  });
});

describe('the config hook', () => {
  it('answers before the route hooks run, and runs them after a valid token', async () => {
    const app = Fastify();
    const seen: string[] = [];
    const routeHook = async () => {
      seen.push('route hook');
    };
    app.get('/admin', { config: admin, onRequest: routeHook }, async () => 'secret');
    await app.register(tokengate, options);
    expect((await app.inject({ url: '/admin' })).statusCode).toBe(401);
    expect(seen).toEqual([]);
    const ok = await app.inject({
      url: '/admin',
      headers: bearer(await minter.mint({ scope: 'admin' })),
    });
    expect(ok.statusCode).toBe(200);
    expect(seen).toEqual(['route hook']);
  });
});

describe('config.tokengate under several registrations', () => {
  it('authenticates a child route with the child registration only', async () => {
    const verifier = countingVerifier(options);
    const app = Fastify();
    await app.register(tokengate, { verifier });
    app.get('/a', { config: admin }, async () => 'a');
    await app.register(async (child) => {
      await child.register(tokengate, { ...other.verifierOptions(), realm: 'api' });
      child.get('/b', { config: admin }, async () => 'b');
    });
    expect(await probe(app, '/a')).toEqual([401, 403, 200]);
    verifier.authenticate.mockClear();
    expect(await probe(app, '/b', other.mint)).toEqual([401, 403, 200]);
    expect(verifier.authenticate).not.toHaveBeenCalled();
    const parentToken = await minter.mint({ scope: 'admin' });
    expect((await app.inject({ url: '/b', headers: bearer(parentToken) })).statusCode).toBe(401);
  });

  it('verifies once when the route also lists app.authenticate', async () => {
    const verifier = countingVerifier(options);
    const app = Fastify();
    app.get('/early', { config: admin }, async () => 'early');
    await app.register(tokengate, { verifier });
    app.get('/both', { onRequest: app.authenticate, config: admin }, async () => 'both');
    const token = await minter.mint({ scope: 'admin' });
    expect((await app.inject({ url: '/both', headers: bearer(token) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/early', headers: bearer(token) })).statusCode).toBe(200);
    expect(verifier.authenticate).toHaveBeenCalledTimes(2);
  });

  it('does no verification for routes without config.tokengate', async () => {
    const verifier = countingVerifier(options);
    const app = Fastify();
    app.get('/before', async (request) => ({ auth: String(request.auth) }));
    await app.register(tokengate, { verifier });
    app.get('/after', async (request) => ({ auth: String(request.auth) }));
    for (const url of ['/before', '/after']) {
      const res = await app.inject({ url, headers: bearer(await minter.mint()) });
      expect(res.json()).toEqual({ auth: 'undefined' });
    }
    expect(verifier.authenticate).not.toHaveBeenCalled();
  });
});

describe('config.tokengate with auth: false', () => {
  it.each([
    [{ auth: false, scopes: 'admin' }, 'scopes'],
    [{ auth: false, scopes: ['a', 'b'], scopeMode: 'any' }, 'scopes'],
    [{ auth: false, claims: { org: 'acme' } }, 'claims'],
    [{ auth: false, optional: 'allow-missing' }, 'optional'],
  ] as const)('refuses %j when the route is declared, naming %s', async (config, key) => {
    const app = Fastify();
    await app.register(tokengate, options);
    expect(() =>
      app.get('/x', { config: { tokengate: config as never } }, async () => 'open'),
    ).toThrow(new RegExp(`^@tokengate/fastify: route /x config.tokengate.*auth: false.*${key}`));
  });

  it('refuses it under global mode too', async () => {
    const app = Fastify();
    await app.register(tokengate, { ...options, global: true });
    expect(() =>
      app.get(
        '/x',
        { config: { tokengate: { auth: false, scopes: 'admin' } } },
        async () => 'open',
      ),
    ).toThrow(TypeError);
  });

  it('still leaves a route with auth: false alone open', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    app.get('/health', { config: { tokengate: { auth: false } } }, async () => 'ok');
    expect((await app.inject({ url: '/health' })).body).toBe('ok');
  });
});

describe('a route whose config.tokengate no registration of the plugin protects', () => {
  const secret = async () => 'secret';

  it('stops the app from starting when it sits in a sibling context', async () => {
    const app = Fastify();
    app.register(async (a) => {
      await a.register(tokengate, options);
      a.get('/a', { config: admin }, secret);
    });
    app.register(async (b) => {
      b.get('/b', { config: admin }, secret);
    });
    await expect(app.ready()).rejects.toThrow(
      /^@tokengate\/fastify: GET \/b, HEAD \/b have config.tokengate but no registration/,
    );
  });

  it('stops it when a parent context declares it after the registration', async () => {
    const app = Fastify();
    await app.register(async (child) => {
      await child.register(tokengate, options);
    });
    app.get('/root', { config: { tokengate: { claims: { org: 'acme' } } } }, secret);
    await expect(app.ready()).rejects.toThrow(/^@tokengate\/fastify: GET \/root, HEAD \/root/);
  });

  it('stops it when a context created before the registration declares it in a new child', async () => {
    const app = Fastify();
    await app.register(async (v1) => {
      await v1.register(async (api) => {
        await api.register(tokengate, options);
      });
      await v1.register(async (other) => {
        other.get('/v1/other', { config: admin }, secret);
      });
    });
    await expect(app.ready()).rejects.toThrow(/GET \/v1\/other/);
  });

  it('lets an app start whose only such routes have auth: false', async () => {
    const app = Fastify();
    await app.register(async (api) => {
      await api.register(tokengate, options);
    });
    app.get('/health', { config: { tokengate: { auth: false } } }, async () => 'ok');
    expect((await app.inject({ url: '/health' })).body).toBe('ok');
  });
});

describe('a child context registered before the plugin', () => {
  it.each([
    false,
    true,
  ])('is protected by a later registration in its parent (global: %s)', async (global) => {
    const app = Fastify();
    const ran = vi.fn();
    await app.register(async (api) => {
      api.get('/api/admin', { config: admin }, async () => {
        ran();
        return 'secret';
      });
    });
    await app.register(tokengate, { ...options, global });
    expect(await probe(app, '/api/admin')).toEqual([401, 403, 200]);
    expect(ran).toHaveBeenCalledTimes(1);
  });
});
