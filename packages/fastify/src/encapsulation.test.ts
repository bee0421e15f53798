import { bearer, createSecretMinter } from '@tokengate/testing/mint';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { tokengate } from './index.js';
import { countingVerifier, mint, options, tokens } from './test-support/tokens.js';

const OTHER_SECRET = 'the-second-issuer-secret-at-least-32-bytes';
const other = createSecretMinter({ ...tokens.defaults, secret: OTHER_SECRET });

describe('global mode', () => {
  it('protects every route of the context and lets auth: false routes through', async () => {
    const app = Fastify();
    const ran: string[] = [];
    await app.register(tokengate, { ...options, global: true });
    app.get('/private', async (request) => {
      ran.push('private');
      return { sub: request.auth?.claims.sub };
    });
    app.get('/health', { config: { tokengate: { auth: false } } }, async (request) => {
      ran.push('health');
      return { auth: String(request.auth) };
    });
    const denied = await app.inject({ url: '/private' });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="api"');
    const health = await app.inject({ url: '/health', headers: { authorization: 'Basic x' } });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ auth: 'undefined' });
    const ok = await app.inject({ url: '/private', headers: bearer(await mint()) });
    expect(ok.json()).toEqual({ sub: 'user-1' });
    expect(ran).toEqual(['health', 'private']);
  });

  it('answers unknown URLs in the protected context 401 without a token and 404 with one', async () => {
    const app = Fastify();
    await app.register(tokengate, { ...options, global: true });
    expect((await app.inject({ url: '/nope' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/nope', headers: bearer(await mint()) })).statusCode).toBe(
      404,
    );
  });

  it('verifies once when a global route also lists app.authenticate', async () => {
    const verifier = countingVerifier();
    const app = Fastify();
    await app.register(tokengate, { verifier, global: true });
    app.get('/twice', { onRequest: app.authenticate }, async () => 'ok');
    const res = await app.inject({ url: '/twice', headers: bearer(await mint()) });
    expect(res.statusCode).toBe(200);
    expect(verifier.authenticate).toHaveBeenCalledTimes(1);
  });

  it('protects only the child context it is registered in, not its parent or siblings', async () => {
    const app = Fastify();
    const ran: string[] = [];
    app.get('/root', async (request) => {
      ran.push('root');
      return { auth: request.auth ?? null };
    });
    await app.register(async (api) => {
      await api.register(tokengate, { ...options, global: true });
      api.get('/api/thing', async () => {
        ran.push('api');
        return 'secret';
      });
      await api.register(async (nested) => {
        nested.get('/api/nested', async () => {
          ran.push('nested');
          return 'secret';
        });
      });
    });
    await app.register(async (sibling) => {
      sibling.get('/sibling', async () => {
        ran.push('sibling');
        return 'open';
      });
    });
    expect((await app.inject({ url: '/root' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/sibling' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/thing' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/nested' })).statusCode).toBe(401);
    expect(ran).toEqual(['root', 'sibling']);
    expect(app.hasDecorator('authenticate')).toBe(false);
  });
});

describe('without global mode', () => {
  it('protects a route that only has config.tokengate, verifying once with the hook too', async () => {
    const verifier = countingVerifier();
    const app = Fastify();
    await app.register(tokengate, { verifier });
    app.get('/admin', { config: { tokengate: { scopes: ['admin'] } } }, async () => 'secret');
    app.get(
      '/both',
      { onRequest: app.authenticate, config: { tokengate: { scopes: 'admin' } } },
      async () => 'ok',
    );
    const res = await app.inject({ url: '/admin' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect((await app.inject({ url: '/admin', headers: bearer(await mint()) })).statusCode).toBe(
      403,
    );
    verifier.authenticate.mockClear();
    const both = await app.inject({
      url: '/both',
      headers: bearer(await mint({ scope: 'admin' })),
    });
    expect(both.statusCode).toBe(200);
    expect(verifier.authenticate).toHaveBeenCalledTimes(1);
  });

  it('protects the HEAD route Fastify adds for a protected GET', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    app.get('/hooked', { onRequest: app.authenticate }, async () => 'secret');
    app.get('/configured', { config: { tokengate: { auth: true } } }, async () => 'secret');
    expect((await app.inject({ method: 'HEAD', url: '/hooked' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'HEAD', url: '/configured' })).statusCode).toBe(401);
  });

  it('ignores the register options Fastify reads for itself', async () => {
    const app = Fastify();
    await app.register(tokengate, { ...options, prefix: '/ignored', logLevel: 'warn' } as never);
    app.get('/me', { onRequest: app.authenticate }, async () => 'ok');
    expect((await app.inject({ url: '/me', headers: bearer(await mint()) })).body).toBe('ok');
  });

  it('adds no work to routes that do not ask for it', async () => {
    const verifier = countingVerifier();
    const app = Fastify();
    await app.register(tokengate, { verifier });
    app.get('/open', async (request) => ({ auth: String(request.auth) }));
    const res = await app.inject({ url: '/open', headers: bearer(await mint()) });
    expect(res.json()).toEqual({ auth: 'undefined' });
    expect(verifier.authenticate).not.toHaveBeenCalled();
  });

  it('lets a child context register its own issuer, shadowing the parent decorator', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    app.get('/a', { onRequest: app.authenticate }, async (r) => r.auth?.claims.sub);
    await app.register(async (child) => {
      await child.register(tokengate, { ...options, secret: OTHER_SECRET });
      child.get('/b', { onRequest: child.authenticate }, async (r) => r.auth?.claims.sub);
    });
    const first = await mint();
    const second = await other.mint({ sub: 'user-2' });
    expect((await app.inject({ url: '/a', headers: bearer(first) })).body).toBe('user-1');
    expect((await app.inject({ url: '/b', headers: bearer(second) })).body).toBe('user-2');
    expect((await app.inject({ url: '/a', headers: bearer(second) })).statusCode).toBe(401);
    expect((await app.inject({ url: '/b', headers: bearer(first) })).statusCode).toBe(401);
  });
});

describe('hooks order', () => {
  it('authenticates in onRequest: later hooks see request.auth, a rejected request parses no body', async () => {
    const app = Fastify();
    const seen: string[] = [];
    app.addHook('onRequest', async () => {
      seen.push('onRequest:before');
    });
    await app.register(tokengate, { ...options, global: true });
    app.addHook('onRequest', async (request) => {
      seen.push(`onRequest:after:${request.auth?.claims.sub}`);
    });
    app.addHook('preParsing', async () => {
      seen.push('preParsing');
    });
    app.addHook('preValidation', async (request) => {
      seen.push(`preValidation:${request.auth?.claims.sub}`);
    });
    app.post('/things', { preHandler: app.requireScopes('write') }, async (request) => {
      seen.push('handler');
      return { body: request.body };
    });

    const rejected = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(rejected.statusCode).toBe(401);
    expect(seen).toEqual(['onRequest:before']);

    seen.length = 0;
    const ok = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...bearer(await mint({ scope: 'write' })), 'content-type': 'application/json' },
      payload: { n: 1 },
    });
    expect(ok.json()).toEqual({ body: { n: 1 } });
    expect(seen).toEqual([
      'onRequest:before',
      'onRequest:after:user-1',
      'preParsing',
      'preValidation:user-1',
      'handler',
    ]);
  });
});
