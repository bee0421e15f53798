import { bearer } from '@tokengate/testing/mint';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createVerifier,
  InvalidRequestError,
  isTokengateError,
  jwtAuth,
  TokenExpiredError,
} from './index.js';
import { mint, options } from './test-support/tokens.js';

function app(mw = jwtAuth(options)) {
  const ran = vi.fn();
  const a = new Hono();
  a.get('/p', mw, (c) => {
    ran(c.get('auth'));
    return c.json({ sub: c.var.auth?.claims.sub ?? null });
  });
  return { app: a, ran };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('jwtAuth', () => {
  it('puts the verified claims on c.var.auth for a valid token', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(ran).toHaveBeenCalledOnce();
  });

  it('answers a missing token with 401 and a challenge without an error code', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/p');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ error: 'unauthorized', code: 'ERR_TOKEN_MISSING' });
    expect(ran).not.toHaveBeenCalled();
  });

  it('refuses two Authorization headers (joined with a comma by Headers) with 400 invalid_request', async () => {
    const { app: a, ran } = app();
    const token = await mint();
    const headers = new Headers();
    headers.append('Authorization', `Bearer ${token}`);
    headers.append('Authorization', `Bearer ${token}`);
    const res = await a.request('/p', { headers });
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_request"/,
    );
    expect(ran).not.toHaveBeenCalled();
  });

  it('refuses a comma inside one Authorization value as two credentials', async () => {
    const { app: a } = app();
    const res = await a.request('/p', { headers: { Authorization: `Bearer ${await mint()},x` } });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('rejects an expired token with 401 invalid_token saying it expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const token = await mint({}, { expiresIn: '1m' });
    vi.setSystemTime(new Date('2026-01-01T01:00:00Z'));
    const { app: a, ran } = app();
    const res = await a.request('/p', { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /error="invalid_token", error_description=".*expired/,
    );
    expect(await res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' });
    expect(ran).not.toHaveBeenCalled();
  });

  it('rejects a token signed with another key with 401 invalid_token', async () => {
    const { app: a } = app();
    const res = await a.request('/p', { headers: bearer(await mint({}, { key: 'stranger' })) });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_token');
  });

  it('throws an HTTPException whose cause is the core error, for app.onError', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const token = await mint({}, { expiresIn: '1m' });
    vi.setSystemTime(new Date('2026-01-02T00:00:00Z'));
    const { app: a } = app();
    const seen: unknown[] = [];
    a.onError((err, c) => {
      seen.push(err);
      if (err instanceof HTTPException && isTokengateError(err.cause)) {
        return c.json({ mine: err.cause.code }, err.status);
      }
      return c.text('boom', 500);
    });
    const res = await a.request('/p', { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ mine: 'ERR_TOKEN_EXPIRED' });
    expect(seen[0]).toBeInstanceOf(HTTPException);
    expect((seen[0] as HTTPException).cause).toBeInstanceOf(TokenExpiredError);
  });

  it('lets a request without a token through with c.var.auth undefined when optional', async () => {
    const { app: a, ran } = app(jwtAuth(options, { optional: 'allow-missing' }));
    const res = await a.request('/p');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: null });
    expect(ran).toHaveBeenCalledExactlyOnceWith(undefined);
  });

  it('replaces an auth an earlier middleware set, so it never passes for a verified token', async () => {
    const planted: MiddlewareHandler = async (c, next) => {
      c.set('auth', { token: 'planted', claims: { sub: 'mallory' } } as never);
      await next();
    };
    const ran = vi.fn();
    const b = new Hono();
    b.get('/p', planted, jwtAuth(options, { optional: 'allow-invalid' }), (c) => {
      ran(c.get('auth'));
      return c.json({ sub: c.var.auth?.claims.sub ?? null });
    });
    const forged = await b.request('/p', { headers: bearer(await mint({}, { key: 'stranger' })) });
    expect(await forged.json()).toEqual({ sub: null });
    const verified = await b.request('/p', { headers: bearer(await mint()) });
    expect(await verified.json()).toEqual({ sub: 'user-1' });
    expect(ran.mock.calls[0]).toEqual([undefined]);
  });

  it('still refuses an invalid token in allow-missing mode', async () => {
    const { app: a } = app(jwtAuth(options, { optional: 'allow-missing' }));
    const res = await a.request('/p', { headers: bearer('not.a.jwt') });
    expect(res.status).toBe(401);
  });

  it('accepts a prebuilt verifier shared by several middlewares', async () => {
    const verifier = createVerifier(options);
    const { app: a } = app(jwtAuth(verifier));
    const res = await a.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
  });

  it('answers with the right status when the app has no onError', async () => {
    const { app: a } = app();
    const res = await a.request('/p', { headers: { Authorization: 'Bearer a b' } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({
      error: 'invalid_request',
      code: new InvalidRequestError('x').code,
    });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
  });
});

describe('jwtAuth token sources', () => {
  it('reads the token from a cookie when the cookie option is set', async () => {
    const { app: a } = app(jwtAuth({ ...options, cookie: 'session' }));
    const res = await a.request('/p', {
      headers: { Cookie: `theme=dark; session=${await mint()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
  });

  it('hands other headers to a custom extractor', async () => {
    const token = await mint();
    const { app: a } = app(
      jwtAuth({ ...options, extract: (req) => String(req.header('X-Token') ?? '') || undefined }),
    );
    expect((await a.request('/p', { headers: { 'x-token': token } })).status).toBe(200);
    expect((await a.request('/p')).status).toBe(401);
  });
});

describe('jwtAuth route policy', () => {
  it('refuses a token without the scopes given to jwtAuth with 403 naming them', async () => {
    const { app: a, ran } = app(jwtAuth(options, { scopes: ['read', 'write'] }));
    const res = await a.request('/p', { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="read write"');
    expect(ran).not.toHaveBeenCalled();
    const ok = await a.request('/p', { headers: bearer(await mint({ scope: 'write read' })) });
    expect(ok.status).toBe(200);
  });

  it('combines scopes with scopeMode any, and checks claims', async () => {
    const mw = jwtAuth(options, { scopes: ['a', 'b'], scopeMode: 'any', claims: { org: 'acme' } });
    const { app: a } = app(mw);
    const good = await a.request('/p', {
      headers: bearer(await mint({ scope: 'b', org: 'acme' })),
    });
    expect(good.status).toBe(200);
    const other = await a.request('/p', { headers: bearer(await mint({ scope: 'b', org: 'x' })) });
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('names the route scopes in a 401 when the verifier describes a protected resource', async () => {
    const resource = { resource: 'https://api.example/' };
    const { app: a } = app(jwtAuth({ ...options, resource }, { scopes: 'read' }));
    const res = await a.request('/p');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('scope="read"');
    expect(res.headers.get('www-authenticate')).toContain(
      'resource_metadata="https://api.example/.well-known/oauth-protected-resource"',
    );
  });

  it('throws TypeError at construction for bad scopes or claims', () => {
    expect(() => jwtAuth(options, { scopes: [] })).toThrow(TypeError);
    expect(() => jwtAuth(options, { scopes: 'a', scopeMode: 'most' as never })).toThrow(TypeError);
    expect(() => jwtAuth(options, { claims: 'org' as never })).toThrow(TypeError);
  });
});

describe('jwtAuth options', () => {
  it('throws TypeError at construction for an unknown adapter option', () => {
    expect(() => jwtAuth(options, { nope: 1 } as never)).toThrow(TypeError);
  });

  it('throws TypeError for a source that is neither options, verifier nor factory', () => {
    expect(() => jwtAuth(42 as never)).toThrow(TypeError);
    expect(() => jwtAuth(null as never)).toThrow(TypeError);
  });

  it('throws TypeError for a bad optional mode or verifier bound', () => {
    expect(() => jwtAuth(options, { optional: 'sometimes' as never })).toThrow(/optional/);
    expect(() => jwtAuth(() => options, { maxVerifiers: 0 })).toThrow(/maxVerifiers/);
    expect(() => jwtAuth(() => options, { cacheKey: 'x' as never })).toThrow(/cacheKey/);
  });

  it('throws TypeError when the adapter options are not an object', () => {
    expect(() => jwtAuth(options, 'x' as never)).toThrow(TypeError);
  });

  it('answers 500 when cacheKey returns something other than a string', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // Hono logs unhandled errors
    const { app: a, ran } = app(jwtAuth(() => options, { cacheKey: () => 42 as never }));
    const res = await a.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(500);
    expect(ran).not.toHaveBeenCalled();
  });

  it('returns a middleware named jwtAuth', () => {
    expect(jwtAuth(options).name).toBe('jwtAuth');
  });
});
