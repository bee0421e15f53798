import { request as httpRequest } from 'node:http';
import { bearer } from '@tokengate/testing/mint';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidRequestError, tokengate } from './index.js';
import { mint, options } from './test-support/tokens.js';

const missing = 'Bearer realm="api"';
const invalidToken = (description: string) =>
  `Bearer realm="api", error="invalid_token", error_description="${description}"`;

async function build(
  routes: (app: FastifyInstance, ran: string[]) => void,
  extra: Record<string, unknown> = {},
) {
  const app = Fastify();
  const ran: string[] = [];
  await app.register(tokengate, { ...options, ...extra });
  routes(app, ran);
  await app.ready();
  return { app, ran };
}

function protectedRoute(app: FastifyInstance, ran: string[]) {
  app.get('/me', { onRequest: app.authenticate }, async (request) => {
    ran.push('/me');
    return { sub: request.auth?.claims.sub, scopes: [...(request.auth?.scopes ?? [])] };
  });
  app.get('/open', async (request) => {
    ran.push('/open');
    return { auth: String(request.auth) };
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('app.authenticate', () => {
  it('puts the verified token on request.auth and runs the handler', async () => {
    const { app, ran } = await build(protectedRoute);
    const token = await mint({ scope: 'read write' });
    const res = await app.inject({ url: '/me', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'user-1', scopes: ['read', 'write'] });
    expect(ran).toEqual(['/me']);
  });

  it('answers a request without a token with 401 and a bare Bearer challenge', async () => {
    const { app, ran } = await build(protectedRoute);
    const res = await app.inject({ url: '/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(missing);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'Authentication required',
      code: 'ERR_TOKEN_MISSING',
    });
    expect(ran).toEqual([]);
  });

  it('rejects an expired token with 401 invalid_token that says it expired', async () => {
    const { app, ran } = await build(protectedRoute);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const token = await mint({}, { expiresIn: 60 });
    vi.setSystemTime(new Date('2030-01-01T01:00:00Z'));
    const res = await app.inject({ url: '/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(invalidToken('The token has expired'));
    expect(res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' });
    expect(ran).toEqual([]);
  });

  it('rejects a token signed with another key with 401 invalid_token', async () => {
    const { app, ran } = await build(protectedRoute);
    const forged = await mint({}, { key: 'stranger' });
    const res = await app.inject({ url: '/me', headers: bearer(forged) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_token"/);
    expect(res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_SIGNATURE_INVALID' });
    expect(ran).toEqual([]);
  });

  it('answers a Basic credential as a missing token: 401, the challenge, no error code', async () => {
    const { app, ran } = await build(protectedRoute);
    const res = await app.inject({ url: '/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(missing);
    expect(res.json()).toMatchObject({ error: 'unauthorized', code: 'ERR_TOKEN_MISSING' });
    expect(ran).toEqual([]);
  });

  it.each([
    ['a Bearer scheme with no token', 'Bearer'],
    ['two tokens in one header', 'Bearer a.b.c d.e.f'],
  ])('answers %s with 400 invalid_request', async (_name, authorization) => {
    const { app, ran } = await build(protectedRoute);
    const res = await app.inject({ url: '/me', headers: { authorization } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_request"/);
    expect(res.json()).toMatchObject({ error: 'invalid_request', code: 'ERR_INVALID_REQUEST' });
    expect(ran).toEqual([]);
  });

  it('answers garbage instead of a JWT with 401 invalid_token and no stack', async () => {
    const { app, ran } = await build(protectedRoute);
    const res = await app.inject({ url: '/me', headers: bearer('not.a.jwt') });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_token' });
    expect(res.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(ran).toEqual([]);
  });

  it('leaves a route without app.authenticate open with request.auth undefined', async () => {
    const { app, ran } = await build(protectedRoute);
    const res = await app.inject({ url: '/open', headers: bearer(await mint()) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ auth: 'undefined' });
    expect(ran).toEqual(['/open']);
  });

  it('refuses two Authorization headers that Node would fold into one (real listen)', async () => {
    const { app, ran } = await build(protectedRoute);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const token = await mint();
      const { port } = app.server.address() as { port: number };
      const res = await new Promise<{ status: number; challenge: unknown }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/me' }, (r) => {
          r.resume();
          r.on('end', () =>
            resolve({ status: r.statusCode ?? 0, challenge: r.headers['www-authenticate'] }),
          );
        });
        req.setHeader('Authorization', [`Bearer ${token}`, `Bearer ${token}`]);
        req.on('error', reject);
        req.end();
      });
      expect(res.status).toBe(400);
      expect(res.challenge).toMatch(/error="invalid_request"/);
      expect(ran).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('the errors it answers', () => {
  it('are instances of the re-exported core classes when handed to the error handler', async () => {
    const app = Fastify();
    let seen: unknown;
    app.setErrorHandler((error, _request, reply) => {
      seen = error;
      return reply.code(418).send({ mine: true });
    });
    await app.register(tokengate, { ...options, passErrors: true });
    app.get('/me', { onRequest: app.authenticate }, async () => 'never');
    const res = await app.inject({ url: '/me', headers: { authorization: 'Bearer a b' } });
    expect(res.statusCode).toBe(418);
    expect(seen).toBeInstanceOf(InvalidRequestError);
    expect(seen).toMatchObject({ statusCode: 400, code: 'ERR_INVALID_REQUEST' });
  });
});
