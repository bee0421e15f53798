import { InsufficientScopeError, InvalidClaimError } from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtAuth, requireClaims, requireScopes } from './index.js';
import { expressVersions, listen } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

describe.each(expressVersions)('route guards on Express $major', ({ express }) => {
  let close: (() => Promise<void>) | undefined;
  let ran = 0;

  afterEach(async () => {
    await close?.();
    close = undefined;
    ran = 0;
  });

  async function serve(chain: RequestHandler[], onError?: ErrorRequestHandler) {
    const app: Express = express();
    app.get('/r', ...chain, (_req, res) => {
      ran++;
      res.json({ ok: true });
    });
    if (onError) app.use(onError);
    const server = await listen(app);
    close = server.close;
    return `${server.baseUrl}/r`;
  }

  it('lets a token with every required scope through', async () => {
    const url = await serve([jwtAuth(options), requireScopes(['read', 'write'])]);
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read write extra' })) });
    expect(res.status).toBe(200);
    expect(ran).toBe(1);
  });

  it('answers a missing scope with 403 insufficient_scope naming the required scopes', async () => {
    const url = await serve([jwtAuth(options), requireScopes(['read', 'write'])]);
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The token lacks the required scope", scope="read write"',
    );
    expect(await res.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The token lacks the required scope',
      code: 'ERR_INSUFFICIENT_SCOPE',
    });
    expect(ran).toBe(0);
  });

  it("accepts any one of the scopes with mode 'any'", async () => {
    const url = await serve([jwtAuth(options), requireScopes(['admin', 'write'], 'any')]);
    expect((await fetch(url, { headers: bearer(await mint({ scope: 'write' })) })).status).toBe(
      200,
    );
    expect((await fetch(url, { headers: bearer(await mint({ scope: 'read' })) })).status).toBe(403);
    expect(ran).toBe(1);
  });

  it('refuses with 500 when no jwtAuth ran before requireScopes (a misconfigured route)', async () => {
    const url = await serve([requireScopes('read')]);
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(500);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({
      error: 'server_error',
      error_description: 'Authentication is not configured for this route',
      code: 'ERR_AUTHENTICATION_NOT_RUN',
    });
    expect(ran).toBe(0);
  });

  it('answers 401 when optional auth let a request through without a token', async () => {
    const url = await serve([
      jwtAuth({ ...options, optional: 'allow-missing' }),
      requireClaims({ org: 'acme' }),
    ]);
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(ran).toBe(0);
  });

  it('lets matching claims through and answers a mismatch with 401 naming the claim', async () => {
    const url = await serve([jwtAuth(options), requireClaims({ org: 'acme' })]);
    expect((await fetch(url, { headers: bearer(await mint({ org: 'acme' })) })).status).toBe(200);
    const res = await fetch(url, { headers: bearer(await mint({ org: 'evil' })) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The \\"org\\" claim is invalid"',
    );
    expect(await res.json()).toMatchObject({ code: 'ERR_CLAIM_INVALID' });
    expect(ran).toBe(1);
  });

  it("follows jwtAuth's passErrors and hands guard errors to next(err)", async () => {
    const seen: unknown[] = [];
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      seen.push(err);
      res.status(err.status).json({ handled: err.code });
    };
    const url = await serve(
      [jwtAuth({ ...options, passErrors: true }), requireScopes('admin'), requireClaims({ a: 1 })],
      onError,
    );
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ handled: 'ERR_INSUFFICIENT_SCOPE' });
    expect(seen[0]).toBeInstanceOf(InsufficientScopeError);
    expect((seen[0] as InsufficientScopeError).wwwAuthenticate).toContain('realm="api"');
    expect(ran).toBe(0);
  });

  it('hands a claim failure to next(err) as an InvalidClaimError with passErrors', async () => {
    const seen: unknown[] = [];
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      seen.push(err);
      res.status(err.statusCode).end();
    };
    const url = await serve(
      [jwtAuth({ ...options, passErrors: true }), requireClaims({ org: 'acme' })],
      onError,
    );
    expect((await fetch(url, { headers: bearer(await mint({})) })).status).toBe(401);
    expect(seen[0]).toBeInstanceOf(InvalidClaimError);
    expect((seen[0] as InvalidClaimError).claim).toBe('org');
  });
});

describe('route guard options', () => {
  it('throws TypeError for no scopes, a scope with a space or an unknown mode', () => {
    expect(() => requireScopes([])).toThrow(TypeError);
    expect(() => requireScopes('read write')).toThrow(TypeError);
    expect(() => requireScopes('read', 'most' as never)).toThrow(TypeError);
  });

  it('throws TypeError for an empty or malformed claims requirement', () => {
    expect(() => requireClaims({})).toThrow(TypeError);
    expect(() => requireClaims({ org: null as never })).toThrow(TypeError);
  });

  it('names the middlewares', () => {
    expect(requireScopes('read').name).toBe('requireScopesMiddleware');
    expect(requireClaims({ org: 'acme' }).name).toBe('requireClaimsMiddleware');
  });
});
