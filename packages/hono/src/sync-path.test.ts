import { foreignRejection } from '@tokengate/conformance';
import {
  type AuthInfo,
  InvalidSignatureError,
  MissingTokenError,
  type TokenRequest,
  type Verifier,
} from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, jwtAuth, requireScopes, TokenExpiredError } from './index.js';
import { mint, options } from './test-support/tokens.js';

interface Probe {
  returned: unknown;
  nextResult: Promise<void>;
  nextCalledBeforeReturn: boolean;
  authBeforeReturn: unknown;
  thrown?: unknown;
}

// Calls `mw` by hand inside a real Hono request, with a `next` of our own, to see what it
// does before it returns; the real chain then carries on so the request completes.
function probe(mw: MiddlewareHandler) {
  const probes: Probe[] = [];
  const app = new Hono();
  app.get('/p', async (c, next) => {
    const nextResult = Promise.resolve();
    const fakeNext = vi.fn(() => nextResult);
    const p = { nextResult } as Probe;
    probes.push(p);
    try {
      p.returned = mw(c, fakeNext);
    } catch (error) {
      p.thrown = error;
    }
    p.nextCalledBeforeReturn = fakeNext.mock.calls.length === 1;
    p.authBeforeReturn = c.get('auth');
    if (p.thrown !== undefined) throw p.thrown;
    await p.returned;
    await next();
  });
  app.get('/p', (c) => c.json({ sub: c.get('auth')?.claims.sub ?? null }));
  return { app, probes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('jwtAuth when nothing needs a promise (keys in memory)', () => {
  it('calls next() before it returns and returns next()’s own promise for a valid token', async () => {
    const { app, probes } = probe(jwtAuth(options));
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    const [p] = probes as [Probe];
    expect(p.nextCalledBeforeReturn).toBe(true);
    expect(p.returned).toBe(p.nextResult);
    expect(p.authBeforeReturn).toMatchObject({ claims: { sub: 'user-1' } });
  });

  it('does the same for a verified-token cache hit, even where a first verify was async', async () => {
    // A custom validator makes a fresh verification asynchronous; a cache hit skips it.
    const validator = vi.fn();
    const { app, probes } = probe(jwtAuth({ ...options, cache: true, validators: [validator] }));
    const headers = bearer(await mint());
    expect((await app.request('/p', { headers })).status).toBe(200);
    const res = await app.request('/p', { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(validator).toHaveBeenCalledOnce();
    const [miss, hit] = probes as [Probe, Probe];
    expect(miss.nextCalledBeforeReturn).toBe(false);
    expect(hit.nextCalledBeforeReturn).toBe(true);
    expect(hit.returned).toBe(hit.nextResult);
    expect(hit.authBeforeReturn).toMatchObject({ claims: { sub: 'user-1' } });
  });

  it('lets a request without a token through before returning, auth undefined, when optional', async () => {
    const { app, probes } = probe(jwtAuth(options, { optional: 'allow-missing' }));
    const res = await app.request('/p');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: null });
    const [p] = probes as [Probe];
    expect(p.nextCalledBeforeReturn).toBe(true);
    expect(p.returned).toBe(p.nextResult);
    expect(p.authBeforeReturn).toBeUndefined();
  });

  it('throws the refusal as an HTTPException before returning', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const token = await mint({}, { expiresIn: '1m' });
    vi.setSystemTime(new Date('2026-01-01T01:00:00Z'));
    const { app, probes } = probe(jwtAuth(options));
    const res = await app.request('/p', { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
    expect(await res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' });
    const [p] = probes as [Probe];
    expect(p.nextCalledBeforeReturn).toBe(false);
    expect(p.thrown).toBeInstanceOf(HTTPException);
    expect((p.thrown as HTTPException).cause).toBeInstanceOf(TokenExpiredError);
  });

  it('still waits for an asynchronous step (an async isRevoked) before next()', async () => {
    const isRevoked = vi.fn(async () => false);
    const { app, probes } = probe(jwtAuth({ ...options, isRevoked }));
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(isRevoked).toHaveBeenCalledOnce();
    const [p] = probes as [Probe];
    expect(p.nextCalledBeforeReturn).toBe(false);
    expect(p.returned).toBeInstanceOf(Promise);
    expect(p.returned).not.toBe(p.nextResult);
  });

  it('answers a refusal found asynchronously (a revoked token) with its response', async () => {
    const ran = vi.fn();
    const app = new Hono();
    app.get('/p', jwtAuth({ ...options, isRevoked: async () => true }), (c) => {
      ran();
      return c.text('no');
    });
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has been revoked"',
    );
    expect(await res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_REVOKED' });
    expect(ran).not.toHaveBeenCalled();
  });
});

describe('jwtAuth with an options factory', () => {
  it('stays synchronous when the factory is (the usual Workers factory reading c.env)', async () => {
    const factory = vi.fn(() => options);
    const { app, probes } = probe(jwtAuth(factory));
    const headers = bearer(await mint());
    for (let i = 0; i < 2; i++) expect((await app.request('/p', { headers })).status).toBe(200);
    expect(factory).toHaveBeenCalledTimes(2);
    for (const p of probes) {
      expect(p.nextCalledBeforeReturn).toBe(true);
      expect(p.returned).toBe(p.nextResult);
    }
  });

  it('stays synchronous on a cacheKey hit without calling the factory again', async () => {
    const factory = vi.fn(async () => options);
    const { app, probes } = probe(jwtAuth(factory, { cacheKey: () => 'tenant-1' }));
    const headers = bearer(await mint());
    for (let i = 0; i < 2; i++) expect((await app.request('/p', { headers })).status).toBe(200);
    expect(factory).toHaveBeenCalledOnce();
    const [miss, hit] = probes as [Probe, Probe];
    expect(miss.nextCalledBeforeReturn).toBe(false);
    expect(hit.nextCalledBeforeReturn).toBe(true);
    expect(hit.returned).toBe(hit.nextResult);
  });

  it('waits for a factory that returns a promise', async () => {
    const { app, probes } = probe(jwtAuth(async () => options));
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(probes[0]?.nextCalledBeforeReturn).toBe(false);
  });

  it('hands the error of a throwing factory to app.onError, and the handler does not run', async () => {
    const boom = new Error('no binding');
    const ran = vi.fn();
    const seen: unknown[] = [];
    const app = new Hono();
    app.onError((err, c) => {
      seen.push(err);
      return c.json({ error: 'internal' }, 500);
    });
    const throwing = jwtAuth(() => {
      throw boom;
    });
    app.get('/p', throwing, (c) => {
      ran();
      return c.text('no');
    });
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal' });
    expect(seen).toEqual([boom]);
    expect(ran).not.toHaveBeenCalled();
  });
});

// A hand-made verifier: what `jwtAuth` recognises a verifier by (`authenticate`), and options
// with a realm of its own for the challenge.
function doubleVerifier(result: (request: TokenRequest) => PromiseLike<AuthInfo | undefined>) {
  return {
    authenticate: vi.fn((request: TokenRequest) => result(request)),
    options: { realm: 'double' },
  } as unknown as Verifier & { authenticate: ReturnType<typeof vi.fn> };
}

const doubleAuth = (scope: string) =>
  Object.freeze({
    token: 't',
    header: { alg: 'HS256' },
    claims: { sub: 'double-user', scope },
    scopes: new Set(scope.split(' ')),
  }) as unknown as AuthInfo;

describe('jwtAuth with a hand-made verifier', () => {
  it('goes through its authenticate and puts the result on c.var.auth', async () => {
    const verifier = doubleVerifier(async (req) => {
      expect(req.header('authorization')).toBe('Bearer abc');
      return doubleAuth('read:things');
    });
    const { app } = probe(jwtAuth(verifier));
    const res = await app.request('/p', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'double-user' });
    expect(verifier.authenticate).toHaveBeenCalledOnce();
  });

  it('answers its rejection (a thenable that is not a native promise) with the challenge', async () => {
    const verifier = doubleVerifier(() => foreignRejection(new InvalidSignatureError('nope')));
    const { app } = probe(jwtAuth(verifier));
    const res = await app.request('/p', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="double", error="invalid_token", error_description="nope"',
    );
  });

  it('answers a synchronous throw of authenticate the same way', async () => {
    const verifier = doubleVerifier(() => {
      throw new MissingTokenError();
    });
    const { app } = probe(jwtAuth(verifier));
    const res = await app.request('/p');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="double"');
  });

  it('rethrows a failure that is not a tokengate error as it is, for app.onError', async () => {
    const down = new Error('database down');
    const verifier = doubleVerifier(async () => Promise.reject(down));
    const seen: unknown[] = [];
    const ran = vi.fn();
    const app = new Hono();
    app.onError((err, c) => {
      seen.push(err);
      return c.json({ error: 'internal' }, 500);
    });
    app.get('/p', jwtAuth(verifier), (c) => {
      ran();
      return c.text('no');
    });
    const res = await app.request('/p', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(500);
    expect(seen).toEqual([down]);
    expect(ran).not.toHaveBeenCalled();
  });

  it('gives requireScopes its realm for the 403 challenge', async () => {
    const verifier = doubleVerifier(async () => doubleAuth('x'));
    const ran = vi.fn();
    const app = new Hono();
    app.get('/p', jwtAuth(verifier), requireScopes('read:things'), (c) => {
      ran();
      return c.text('ok');
    });
    const res = await app.request('/p', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="double", error="insufficient_scope", error_description="The token lacks the required scope", scope="read:things"',
    );
    expect(ran).not.toHaveBeenCalled();
  });
});

describe('the authentication a request went through, for requireScopes', () => {
  it('is the one of the last jwtAuth on the route', async () => {
    const first = createVerifier({ ...options, realm: 'first' });
    const second = createVerifier({ ...options, realm: 'second' });
    const app = new Hono();
    app.get('/p', jwtAuth(first), jwtAuth(second), requireScopes('admin'), (c) => c.text('ok'));
    const res = await app.request('/p', { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="second", error="insuff/);
  });

  it('is kept per request, not shared between routes with different verifiers', async () => {
    const app = new Hono();
    app.get('/a', jwtAuth({ ...options, realm: 'a' }), requireScopes('admin'), (c) => c.text(''));
    app.get('/b', jwtAuth({ ...options, realm: 'b' }), requireScopes('admin'), (c) => c.text(''));
    const headers = bearer(await mint({ scope: 'read' }));
    const [a, b] = await Promise.all([
      app.request('/a', { headers }),
      app.request('/b', { headers }),
    ]);
    expect(a.headers.get('www-authenticate')).toMatch(/^Bearer realm="a", /);
    expect(b.headers.get('www-authenticate')).toMatch(/^Bearer realm="b", /);
  });

  it('stays out of c.var: auth is the only variable jwtAuth sets', async () => {
    const app = new Hono();
    app.get('/p', jwtAuth(options), (c) => c.json({ keys: Reflect.ownKeys(c.var).map(String) }));
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(await res.json()).toEqual({ keys: ['auth'] });
  });
});
