import fastifyCookie from '@fastify/cookie';
import { bearer } from '@tokengate/testing/mint';
import Fastify, { type FastifyPluginCallback, type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { tokengate } from './index.js';
import { toTokenRequest } from './request.js';
import { mint, options } from './test-support/tokens.js';

async function appWith(extra: Record<string, unknown>, withCookiePlugin = false) {
  const app = Fastify();
  // @fastify/cookie's types may resolve another installed copy of fastify (pnpm hoisting).
  if (withCookiePlugin) await app.register(fastifyCookie as unknown as FastifyPluginCallback);
  await app.register(tokengate, { ...options, ...extra, global: true });
  app.get('/me', async (request) => request.auth?.claims.sub);
  return app;
}

describe('token extraction', () => {
  it.each([
    false,
    true,
  ])('reads the configured cookie (with @fastify/cookie registered: %s)', async (withCookiePlugin) => {
    const app = await appWith({ cookie: 'at' }, withCookiePlugin);
    const token = await mint();
    const res = await app.inject({ url: '/me', headers: { cookie: `theme=dark; at=${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('user-1');
  });

  it('reads access_token from the query only when enabled', async () => {
    const token = await mint();
    const on = await appWith({ query: true });
    expect((await on.inject({ url: `/me?access_token=${token}` })).body).toBe('user-1');
    const off = await appWith({});
    expect((await off.inject({ url: `/me?access_token=${token}` })).statusCode).toBe(401);
  });

  it('refuses two access_token query parameters with 400 invalid_request', async () => {
    const token = await mint();
    const app = await appWith({ query: true });
    const res = await app.inject({ url: `/me?access_token=${token}&access_token=${token}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a header token and a query token together with 400 invalid_request', async () => {
    const token = await mint();
    const app = await appWith({ query: true });
    const res = await app.inject({ url: `/me?access_token=${token}`, headers: bearer(token) });
    expect(res.statusCode).toBe(400);
  });
});

describe('toTokenRequest', () => {
  it('returns every raw value of a repeated header and undefined for an absent one', async () => {
    const app = Fastify();
    let view: ReturnType<typeof toTokenRequest> | undefined;
    app.get('/', async (request) => {
      view = toTokenRequest(request);
      return 'ok';
    });
    await app.inject({ url: '/?x=1&x=2&y=3', headers: { 'X-One': 'a', cookie: 'c=d' } });
    expect(view?.method).toBe('GET');
    expect(view?.url).toBe('/?x=1&x=2&y=3');
    expect(view?.header('x-one')).toBe('a');
    expect(view?.header('X-ONE')).toBe('a');
    expect(view?.header('authorization')).toBeUndefined();
    expect(view?.query?.('x')).toEqual(['1', '2']);
    expect(view?.query?.('y')).toBe('3');
    expect(view?.query?.('z')).toBeUndefined();
    expect(view?.cookie?.('c')).toBe('d');
    expect(view?.cookie?.('nope')).toBeUndefined();
  });

  it('keeps only the strings of a parsed query value, and every raw Authorization line', () => {
    const request = {
      method: 'GET',
      url: '/p?access_token=a',
      raw: { rawHeaders: ['Authorization', 'Bearer t', 'authorization', 'Bearer u'] },
      headers: {},
      // What a custom querystringParser (qs, say) may produce.
      query: { access_token: ['a', { nested: true }, 'b'], one: ['x', 1], odd: 1 },
    } as unknown as FastifyRequest;
    const view = toTokenRequest(request);
    expect(view.method).toBe('GET');
    expect(view.url).toBe('/p?access_token=a');
    expect(view.header('Authorization')).toEqual(['Bearer t', 'Bearer u']);
    expect(view.query?.('access_token')).toEqual(['a', 'b']);
    expect(view.query?.('one')).toBe('x');
    expect(view.query?.('odd')).toBeUndefined();
    expect(view.query?.('toString')).toBeUndefined();
    expect(view.cookie?.('c')).toBeUndefined();
  });
});
