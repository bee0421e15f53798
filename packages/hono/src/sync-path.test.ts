import { foreignRejection } from '@tokengate/conformance';
import {
  type AuthInfo,
  createVerifier,
  InvalidSignatureError,
  MissingTokenError,
  type TokenRequest,
  type Verifier,
} from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jwtAuth, requireScopes, TokenExpiredError } from './index.js';
import { mint, options } from './test-support/tokens.js';

interface Probe {
  returned: unknown;
  nextResult: Promise<void>;
  nextCalledBeforeReturn: boolean;
  authBeforeReturn: unknown;
  settled?: { ok: boolean; value: unknown };
}

// Calls `mw` by hand inside a real Hono request, with a `next` of our own, to see what it
// does before it returns; the real chain then carries on so the request completes.
function probe(mw: MiddlewareHandler) {
  const probes: Probe[] = [];
  const app = new Hono();
  app.get('/p', async (c, next) => {
    const nextResult = Promise.resolve();
    const fakeNext = vi.fn(() => nextResult);
    const returned = mw(c, fakeNext);
    const p: Probe = {
      returned,
      nextResult,
      nextCalledBeforeReturn: fakeNext.mock.calls.length === 1,
      authBeforeReturn: c.get('auth'),
    };
    probes.push(p);
    try {
      p.settled = { ok: true, value: await returned };
    } catch (error) {
      p.settled = { ok: false, value: error };
      throw error;
    }
    await next();
  });
  app.get('/p', (c) => c.json({ sub: c.get('auth')?.claims.sub ?? null }));
  return { app, probes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('jwtAuth on the synchronous path (Node entry, keys in memory)', () => {
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

  it('lets a request without a token through synchronously with auth null when optional', async () => {
    const { app, probes } = probe(jwtAuth(options, { optional: 'allow-missing' }));
    const res = await app.request('/p');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: null });
    const [p] = probes as [Probe];
    expect(p.nextCalledBeforeReturn).toBe(true);
    expect(p.returned).toBe(p.nextResult);
    expect(p.authBeforeReturn).toBeNull();
  });

  it('turns a synchronous failure into a rejected promise of the same HTTPException', async () => {
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
    expect(p.returned).toBeInstanceOf(Promise);
    expect(p.nextCalledBeforeReturn).toBe(false);
    expect(p.settled?.ok).toBe(false);
    expect(p.settled?.value).toBeInstanceOf(HTTPException);
    expect((p.settled?.value as HTTPException).cause).toBeInstanceOf(TokenExpiredError);
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
    expect(p.returned).not.toBe(p.nextResult);
    expect(p.settled?.ok).toBe(true);
  });

  it('maps an asynchronous rejection to the same response as before', async () => {
    const { app, ran } = (() => {
      const ran = vi.fn();
      const a = new Hono();
      a.get('/p', jwtAuth({ ...options, isRevoked: async () => true }), (c) => {
        ran();
        return c.text('no');
      });
      return { app: a, ran };
    })();
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="/,
    );
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
    expect(ran).not.toHaveBeenCalled();
  });

  it('waits for a thenable that is not a native promise instead of taking it for claims', async () => {
    const verifier = createVerifier(options);
    const refused = verifier.prepareError(new InvalidSignatureError());
    vi.spyOn(verifier, 'authenticateNow').mockImplementation(
      () => foreignRejection(refused) as never,
    );
    const ran = vi.fn();
    const app = new Hono();
    app.get('/p', jwtAuth(verifier), (c) => {
      ran();
      return c.json({ auth: c.get('auth') ?? null });
    });
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
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

  it('answers 500 through onError, as a rejection, when the factory throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // Hono logs unhandled errors
    const boom = new Error('no binding');
    const { app, probes } = probe(
      jwtAuth(() => {
        throw boom;
      }),
    );
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(500);
    const [p] = probes as [Probe];
    expect(p.returned).toBeInstanceOf(Promise);
    expect(p.settled).toEqual({ ok: false, value: boom });
  });
});

// A hand-made verifier: only what `jwtAuth` recognises a verifier by, no `authenticateNow`.
function doubleVerifier(result: (request: TokenRequest) => Promise<AuthInfo | null>) {
  const prepareError = vi.fn(<E extends Error>(error: E): E => {
    (error as unknown as { challengeOptions: object }).challengeOptions = { realm: 'double' };
    return error;
  });
  return {
    authenticate: vi.fn((request: TokenRequest) => result(request)),
    prepareError,
  } as unknown as Verifier & { authenticate: ReturnType<typeof vi.fn> };
}

const doubleAuth = (scope: string) =>
  Object.freeze({
    token: 't',
    header: { alg: 'HS256' },
    claims: { sub: 'double-user', scope },
    scopes: new Set(scope.split(' ')),
  }) as unknown as AuthInfo;

describe('jwtAuth with a verifier that has no authenticateNow', () => {
  it('falls back to authenticate and puts its result on c.var.auth', async () => {
    const verifier = doubleVerifier(async (req) => {
      expect(req.header('authorization')).toBe('Bearer abc');
      return doubleAuth('read:things');
    });
    const { app, probes } = probe(jwtAuth(verifier));
    const res = await app.request('/p', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'double-user' });
    expect(verifier.authenticate).toHaveBeenCalledOnce();
    expect(probes[0]?.settled?.ok).toBe(true);
  });

  it('answers a rejection of authenticate with its HTTPException response', async () => {
    const verifier = doubleVerifier(async () => {
      throw verifier.prepareError(new InvalidSignatureError('nope'));
    });
    const { app } = probe(jwtAuth(verifier));
    const res = await app.request('/p', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="double", error="invalid_token", error_description="nope"',
    );
  });

  it('answers a synchronous throw of authenticate the same way', async () => {
    const verifier = doubleVerifier(() => {
      throw verifier.prepareError(new MissingTokenError());
    });
    const { app } = probe(jwtAuth(verifier));
    const res = await app.request('/p');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="double"');
  });

  it('gives requireScopes the double’s prepareError for its 403 challenge', async () => {
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
    expect(verifier.prepareError).toHaveBeenCalledOnce();
    expect(ran).not.toHaveBeenCalled();
  });
});

describe('the verifier a request went through, for requireScopes', () => {
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
    app.get('/p', jwtAuth(options), (c) =>
      c.json({
        keys: Reflect.ownKeys(c.var).map(String),
      }),
    );
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(await res.json()).toEqual({ keys: ['auth'] });
  });
});
