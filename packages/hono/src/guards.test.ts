import { bearer } from '@tokengate/testing/mint';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { AuthenticationNotRunError, jwtAuth, requireClaims, requireScopes } from './index.js';
import { mint, options } from './test-support/tokens.js';

function app() {
  const ran = vi.fn();
  const a = new Hono();
  const ok = (c: { json: (v: unknown) => Response }) => {
    ran();
    return c.json({ ok: true });
  };
  a.get('/read', jwtAuth(options), requireScopes('read:things'), ok);
  a.get('/any', jwtAuth(options), requireScopes(['admin', 'write:things'], 'any'), ok);
  a.get('/acme', jwtAuth(options), requireClaims({ org: 'acme' }), ok);
  a.get('/opt', jwtAuth(options, { optional: 'allow-missing' }), requireScopes('read:things'), ok);
  a.get('/misconfigured', requireScopes('read:things'), ok);
  a.get('/misconfigured-claims', requireClaims({ org: 'acme' }), ok);
  return { app: a, ran };
}

describe('requireScopes', () => {
  it('lets a token with the scope through', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/read', {
      headers: bearer(await mint({ scope: 'read:things x' })),
    });
    expect(res.status).toBe(200);
    expect(ran).toHaveBeenCalledOnce();
  });

  it('answers 403 insufficient_scope with the required scope and the realm', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/read', { headers: bearer(await mint({ scope: 'x' })) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read:things"',
    );
    expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
    expect(ran).not.toHaveBeenCalled();
  });

  it('accepts any one of the scopes in any mode', async () => {
    const { app: a } = app();
    expect(
      (await a.request('/any', { headers: bearer(await mint({ scp: ['write:things'] })) })).status,
    ).toBe(200);
    const res = await a.request('/any', { headers: bearer(await mint({ scope: 'read:things' })) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="admin write:things"');
  });

  it('answers 401 when optional auth let a request through without a token', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/opt');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(ran).not.toHaveBeenCalled();
  });

  it('answers 500 JSON without a challenge when no jwtAuth ran before it', async () => {
    const { app: a, ran } = app();
    const seen: unknown[] = [];
    a.onError((err) => {
      seen.push(err);
      return (err as HTTPException).getResponse();
    });
    const res = await a.request('/misconfigured', {
      headers: bearer(await mint({ scope: 'read:things' })),
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({
      error: 'server_error',
      error_description: 'Authentication is not configured for this route',
      code: 'ERR_AUTHENTICATION_NOT_RUN',
    });
    expect(seen[0]).toBeInstanceOf(HTTPException);
    expect((seen[0] as HTTPException).cause).toBeInstanceOf(AuthenticationNotRunError);
    expect(ran).not.toHaveBeenCalled();
  });

  it('throws TypeError at construction for an empty or invalid scope list', () => {
    expect(() => requireScopes([])).toThrow(TypeError);
    expect(() => requireScopes('has space')).toThrow(TypeError);
    expect(() => requireScopes('a', 'some' as never)).toThrow(TypeError);
  });
});

describe('requireClaims', () => {
  it('lets matching claims through', async () => {
    const { app: a } = app();
    expect(
      (await a.request('/acme', { headers: bearer(await mint({ org: 'acme' })) })).status,
    ).toBe(200);
  });

  it('answers 401 invalid_token naming the claim that does not match', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/acme', { headers: bearer(await mint({ org: 'other' })) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description=".*org/,
    );
    expect(await res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_CLAIM_INVALID' });
    expect(ran).not.toHaveBeenCalled();
  });

  it('answers 500 without running the handler when no jwtAuth ran before it', async () => {
    const { app: a, ran } = app();
    const res = await a.request('/misconfigured-claims', {
      headers: bearer(await mint({ org: 'acme' })),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'ERR_AUTHENTICATION_NOT_RUN' });
    expect(ran).not.toHaveBeenCalled();
  });

  it('throws TypeError at construction for an empty requirement', () => {
    expect(() => requireClaims({})).toThrow(TypeError);
  });
});
