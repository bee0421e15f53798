import { bearer } from '@tokengate/testing/mint';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  InsufficientScopeError,
  MissingTokenError,
  type TokengateError,
  tokengate,
  type Verifier,
} from './index.js';
import { mint, options } from './test-support/tokens.js';

const STACK = /\bat .+:\d+:\d+/;

describe('passErrors: true', () => {
  it("hands the typed error to the app's setErrorHandler instead of answering", async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error);
      const e = error as TokengateError;
      return reply.code(e.statusCode).headers(e.headers).send({ problem: e.code });
    });
    await app.register(tokengate, { ...options, passErrors: true });
    let ran = false;
    app.get('/me', { onRequest: app.authenticate }, async () => {
      ran = true;
      return 'never';
    });
    const res = await app.inject({ url: '/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.json()).toEqual({ problem: 'ERR_TOKEN_MISSING' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(MissingTokenError);
    expect(ran).toBe(false);
  });

  it('stamps the realm on scope errors raised after verification', async () => {
    const app = Fastify();
    let seen: unknown;
    app.setErrorHandler((error, _request, reply) => {
      seen = error;
      return reply.code(403).send();
    });
    await app.register(tokengate, { ...options, passErrors: true });
    app.get('/w', { onRequest: app.authenticate, preHandler: app.requireScopes('write') }, () => 1);
    await app.inject({ url: '/w', headers: bearer(await mint({ scope: 'read' })) });
    expect(seen).toBeInstanceOf(InsufficientScopeError);
    expect((seen as InsufficientScopeError).wwwAuthenticate).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="write"',
    );
  });

  it("without a custom handler, Fastify's default handler keeps the status and challenge and leaks no stack", async () => {
    const app = Fastify();
    await app.register(tokengate, { ...options, passErrors: true });
    app.get('/me', { onRequest: app.authenticate }, async () => 'never');
    const token = await mint({}, { expiresIn: -3600 });
    const res = await app.inject({ url: '/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
    expect(res.json()).toEqual({
      statusCode: 401,
      code: 'ERR_TOKEN_EXPIRED',
      error: 'Unauthorized',
      message: 'The token has expired',
    });
    expect(res.body).not.toMatch(STACK);
    expect(res.body).not.toContain(token);
  });
});

describe('default error answers', () => {
  it('are never a 500 and carry no stack, token or cause', async () => {
    const app = Fastify();
    await app.register(tokengate, options);
    app.get('/me', { onRequest: app.authenticate }, async () => 'never');
    const token = await mint({}, { expiresIn: -3600 });
    const res = await app.inject({ url: '/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token has expired',
      code: 'ERR_TOKEN_EXPIRED',
    });
    expect(res.body).not.toMatch(STACK);
    expect(res.body).not.toContain(token);
  });

  it('still answers themselves when the app has its own error handler', async () => {
    const app = Fastify();
    let called = false;
    app.setErrorHandler((_error, _request, reply) => {
      called = true;
      return reply.code(500).send();
    });
    await app.register(tokengate, options);
    app.get('/me', { onRequest: app.authenticate }, async () => 'never');
    const res = await app.inject({ url: '/me' });
    expect(res.statusCode).toBe(401);
    expect(called).toBe(false);
  });

  it('leave errors that are not tokengate errors to the app error handler', async () => {
    const app = Fastify();
    let seen: unknown;
    app.setErrorHandler((error, _request, reply) => {
      seen = error;
      return reply.code(500).send({ oops: true });
    });
    const boom = new Error('a bug in a custom verifier');
    const verifier = { authenticate: () => Promise.reject(boom) } as unknown as Verifier<unknown>;
    await app.register(tokengate, { verifier });
    app.get('/me', { onRequest: app.authenticate }, async () => 'never');
    const res = await app.inject({ url: '/me', headers: bearer(await mint()) });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ oops: true });
    expect(seen).toBe(boom);
  });
});
