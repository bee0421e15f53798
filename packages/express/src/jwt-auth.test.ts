import {
  createVerifier,
  InvalidSignatureError,
  MissingTokenError,
  TokenExpiredError,
  TokengateError,
  type Verifier,
} from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import cookieParser from 'cookie-parser';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jwtAuth } from './index.js';
import { expressVersions, listen, rawGet } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

describe.each(expressVersions)('jwtAuth on Express $major', ({ express }) => {
  let close: (() => Promise<void>) | undefined;
  let hits: unknown[];

  beforeEach(() => {
    hits = [];
  });
  afterEach(async () => {
    vi.useRealTimers();
    await close?.();
    close = undefined;
  });

  async function serve(...middlewares: (RequestHandler | ErrorRequestHandler)[]) {
    const app: Express = express();
    const [auth, ...rest] = middlewares;
    app.get('/me', auth as RequestHandler, (req, res) => {
      hits.push(req.auth);
      res.json({ sub: req.auth?.claims.sub ?? null });
    });
    for (const handler of rest) app.use(handler);
    const server = await listen(app);
    close = server.close;
    return server.baseUrl;
  }

  it('puts the verified token on req.auth and runs the handler', async () => {
    const base = await serve(jwtAuth(options));
    const token = await mint({ scope: 'read write' });
    const res = await fetch(`${base}/me`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ token, header: { alg: 'HS256' }, claims: { sub: 'user-1' } });
  });

  it('answers a missing token with 401, a bare Bearer realm challenge and a JSON body', async () => {
    const base = await serve(jwtAuth(options));
    const res = await fetch(`${base}/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'Authentication required',
      code: 'ERR_TOKEN_MISSING',
    });
    expect(hits).toHaveLength(0);
  });

  it('refuses two Authorization header lines with 400 invalid_request', async () => {
    const base = await serve(jwtAuth(options));
    const token = await mint();
    const res = await rawGet(`${base}/me`, {
      authorization: [`Bearer ${token}`, `Bearer ${token}`],
    });
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_request"/);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
    expect(hits).toHaveLength(0);
  });

  it('rejects a token that expired while the clock moved on with 401 invalid_token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const token = await mint({}, { expiresIn: 60 });
    const base = await serve(jwtAuth(options));
    vi.setSystemTime(new Date('2026-01-01T01:00:00Z'));
    const res = await fetch(`${base}/me`, { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
    expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
    expect(hits).toHaveLength(0);
  });

  it('rejects a token signed with another secret and never echoes the token', async () => {
    const base = await serve(jwtAuth(options));
    const forged = await mint({}, { key: 'stranger' });
    const res = await fetch(`${base}/me`, { headers: bearer(forged) });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'invalid_token' });
    expect(text).not.toContain(forged);
    expect(text).not.toMatch(/at .*\.ts/);
    expect(hits).toHaveLength(0);
  });

  it('hands the core error instance to next(err) with passErrors', async () => {
    const seen: unknown[] = [];
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      seen.push(err);
      res.status(err.statusCode).json({ custom: err.code });
    };
    const base = await serve(jwtAuth({ ...options, passErrors: true }), onError);
    const res = await fetch(`${base}/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ custom: 'ERR_TOKEN_MISSING' });
    expect(seen[0]).toBeInstanceOf(MissingTokenError);
    expect(seen[0]).toBeInstanceOf(TokengateError);
    expect(hits).toHaveLength(0);
  });

  it("lets Express's default error handler answer passed errors with their status and headers", async () => {
    const base = await serve(jwtAuth({ ...options, passErrors: true }));
    const res = await fetch(`${base}/me`, { headers: bearer('not.a.jwt') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token"/,
    );
    expect(hits).toHaveLength(0);
  });

  it("lets a request without a token through with optional: 'allow-missing'", async () => {
    const base = await serve(jwtAuth({ ...options, optional: 'allow-missing' }));
    const ok = await fetch(`${base}/me`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: null });
    expect(hits).toEqual([undefined]);
    const bad = await fetch(`${base}/me`, { headers: bearer('not.a.jwt') });
    expect(bad.status).toBe(401);
  });

  it("passes optional: 'allow-invalid' to the verifier and runs the handler without claims", async () => {
    const real = createVerifier(options);
    const verifier = { authenticate: vi.fn(real.authenticate) } as unknown as Verifier<unknown>;
    const base = await serve(jwtAuth(verifier, { optional: 'allow-invalid' }));
    const res = await fetch(`${base}/me`, { headers: bearer('not.a.jwt') });
    expect(res.status).toBe(200);
    expect(hits).toEqual([undefined]);
    expect(vi.mocked(verifier.authenticate).mock.calls[0]?.[1]).toEqual({
      optional: 'allow-invalid',
    });
  });

  it('takes adapter options from the second argument, which win over the first', async () => {
    const base = await serve(
      jwtAuth({ ...options, optional: false }, { optional: 'allow-missing' }),
    );
    expect((await fetch(`${base}/me`)).status).toBe(200);
    expect(hits).toEqual([undefined]);
  });

  it.each([
    false,
    true,
  ])('reads the token from the configured cookie (cookie-parser: %s)', async (withParser) => {
    const app: Express = express();
    if (withParser) app.use(cookieParser());
    app.get('/me', jwtAuth({ ...options, cookie: 'at' }), (req, res) => {
      res.json({ sub: req.auth?.claims.sub });
    });
    const server = await listen(app);
    close = server.close;
    const token = await mint();
    const res = await fetch(`${server.baseUrl}/me`, { headers: { cookie: `x=1; at=${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    const both = await fetch(`${server.baseUrl}/me`, {
      headers: { cookie: `at=${token}`, ...bearer(token) },
    });
    expect(both.status).toBe(400);
  });

  it('shares one prebuilt verifier between middlewares and can override optional per use', async () => {
    const real = createVerifier(options);
    const verifier = { authenticate: vi.fn(real.authenticate) } as unknown as Verifier<unknown>;
    const spy = vi.mocked(verifier.authenticate);
    const app: Express = express();
    app.get('/strict', jwtAuth(verifier), (_req, res) => {
      res.json({ route: 'strict' });
    });
    app.get('/open', jwtAuth(verifier, { optional: 'allow-missing' }), (req, res) => {
      res.json({ route: 'open', auth: req.auth ?? null });
    });
    const server = await listen(app);
    close = server.close;
    expect((await fetch(`${server.baseUrl}/strict`)).status).toBe(401);
    const open = await fetch(`${server.baseUrl}/open`);
    expect(await open.json()).toEqual({ route: 'open', auth: null });
    const token = await mint();
    expect((await fetch(`${server.baseUrl}/strict`, { headers: bearer(token) })).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(3);
    expect(spy.mock.calls[1]?.[1]).toEqual({ optional: 'allow-missing' });
  });

  it('passes an unexpected verifier failure to next(err) instead of an unhandled rejection', async () => {
    const broken = {
      ...createVerifier(options),
      authenticate: () => Promise.reject(new Error('database down')),
    } as Verifier<unknown>;
    const seen: unknown[] = [];
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      seen.push(err);
      res.status(500).json({ error: 'internal' });
    };
    const base = await serve(jwtAuth(broken), onError);
    const res = await fetch(`${base}/me`, { headers: bearer('x') });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal' });
    expect((seen[0] as Error).message).toBe('database down');
    expect(hits).toHaveLength(0);
  });

  it('hands the error to next(err) instead of answering when the response already started', async () => {
    const seen: unknown[] = [];
    const app: Express = express();
    const flush: RequestHandler = (_req, res, next) => {
      res.status(202).flushHeaders();
      next();
    };
    app.get('/me', flush, jwtAuth(options), (_req, res) => {
      res.end('handler');
    });
    app.use(((err, _req, res, _next) => {
      seen.push(err);
      res.end('late');
    }) as ErrorRequestHandler);
    const server = await listen(app);
    close = server.close;
    const res = await fetch(`${server.baseUrl}/me`);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('late');
    expect(seen[0]).toBeInstanceOf(MissingTokenError);
  });

  it('answers a rejected verifier error even when passErrors is off and no handler exists', async () => {
    const verifier = {
      authenticate: () => Promise.reject(new InvalidSignatureError()),
    } as unknown as Verifier<unknown>;
    const base = await serve(jwtAuth(verifier));
    const res = await fetch(`${base}/me`, { headers: bearer('x') });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
  });

  it('does not keep a TokenExpiredError from one request on the next', async () => {
    const base = await serve(jwtAuth(options));
    const expired = await mint({}, { expiresIn: -120 });
    const first = await fetch(`${base}/me`, { headers: bearer(expired) });
    expect(await first.json()).toMatchObject({ code: new TokenExpiredError().code });
    const second = await fetch(`${base}/me`, { headers: bearer(await mint()) });
    expect(second.status).toBe(200);
  });
});

describe('jwtAuth options', () => {
  it('throws TypeError for a missing or non-object argument', () => {
    expect(() => jwtAuth(undefined as never)).toThrow(TypeError);
    expect(() => jwtAuth('secret' as never)).toThrow(TypeError);
  });

  it('throws TypeError for an unknown adapter option next to a verifier', () => {
    const verifier = createVerifier(options);
    expect(() => jwtAuth(verifier, { passErorrs: true } as never)).toThrow(/unknown option/);
  });

  it('throws TypeError for a bad second argument', () => {
    const verifier = createVerifier(options);
    expect(() => jwtAuth(options, { passErrors: 1 } as never)).toThrow(/passErrors/);
    expect(() => jwtAuth(verifier, null as never)).toThrow(TypeError);
  });

  it('throws TypeError for a mistyped passErrors or optional', () => {
    expect(() => jwtAuth({ ...options, passErrors: 'yes' as never })).toThrow(/passErrors/);
    expect(() => jwtAuth({ ...options, optional: 'maybe' as never })).toThrow(/optional/);
  });

  it('names the middleware for stack traces and debugging', () => {
    expect(jwtAuth(options).name).toBe('jwtAuthMiddleware');
  });
});
