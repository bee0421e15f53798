import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExampleDeps } from './auth-service.js';
import { type DemoIssuer, startDemoIssuer } from './demo-issuer.js';
import type { RunningApi } from './routes.js';

interface Pair {
  access_token: string;
  refresh_token: string;
}

/** Flip one character of the signature: same header and claims, forged signature. */
function tamper(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

/**
 * The behaviour every example API shares (same routes, same answers), run against a real
 * server on 127.0.0.1 by each example's test.
 *
 * @example
 * describeExampleApi('express', (deps) => start(deps, { port: 0 }));
 */
export function describeExampleApi(
  framework: string,
  start: (deps: ExampleDeps) => Promise<RunningApi>,
  label = `the ${framework} example API`,
): void {
  describe(label, () => {
    let issuer: DemoIssuer;
    let api: RunningApi;
    beforeAll(async () => {
      issuer = await startDemoIssuer();
      api = await start(issuer.deps);
    });
    afterAll(async () => {
      await api?.close();
      await issuer?.close();
    });

    const get = (path: string, token?: string) =>
      fetch(`${api.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const post = (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const login = async (username: string, password: string) =>
      (await (await post('/login', { username, password })).json()) as Pair;

    it('answers /health without a token', async () => {
      const res = await get('/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', framework });
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it("publishes the issuer's public JWK Set", async () => {
      const res = await get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
      expect(keys).toEqual([expect.objectContaining({ kty: 'EC', alg: 'ES256', use: 'sig' })]);
      expect(keys[0]).not.toHaveProperty('d');
    });

    it('logs alice in with a no-store token pair', async () => {
      const res = await post('/login', { username: 'alice', password: 'wonderland' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    });

    it('refuses a wrong password with 400 invalid_grant and malformed bodies with 400', async () => {
      const wrong = await post('/login', { username: 'alice', password: 'guess' });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
      const missing = await post('/login', { username: 'alice' });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    });

    it.each([
      ['/login', '{"username":'],
      ['/refresh', '{"refresh_token":'],
    ])('answers broken JSON on %s with 400 invalid_request', async (path, body) => {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
    });

    it.each([
      ['/login', 'text/plain', JSON.stringify({ username: 'alice', password: 'wonderland' })],
      ['/refresh', 'application/x-www-form-urlencoded', 'refresh_token=abc'],
      ['/login', undefined, undefined],
    ])('refuses a %s body of type %s with 400 invalid_request', async (path, type, body) => {
      const res = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        ...(body === undefined ? {} : { body }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
    });

    it('answers /me without a token with 401 and a bare realm challenge', async () => {
      const res = await get('/me');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokengate-demo"');
      expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
    });

    it('returns the verified claims on /me', async () => {
      const { access_token } = await login('alice', 'wonderland');
      const res = await get('/me', access_token);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        sub: 'alice',
        scope: 'profile',
        iss: issuer.url,
        aud: 'tokengate-demo',
      });
    });

    it('refuses /admin without the admin scope with 403 insufficient_scope', async () => {
      const { access_token } = await login('alice', 'wonderland');
      const res = await get('/admin', access_token);
      expect(res.status).toBe(403);
      const challenge = res.headers.get('www-authenticate');
      expect(challenge).toContain('error="insufficient_scope"');
      expect(challenge).toContain('scope="admin"');
    });

    it('lets ada, who has the admin scope, into /admin', async () => {
      const { access_token } = await login('ada', 'analytical-engine');
      const res = await get('/admin', access_token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ message: 'Welcome to the admin area', sub: 'ada' });
    });

    it('refuses a tampered token with 401 invalid_token', async () => {
      const { access_token } = await login('alice', 'wonderland');
      const res = await get('/me', tamper(access_token));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('refuses an expired access token with 401 ERR_TOKEN_EXPIRED', async () => {
      const { access_token } = await login('alice', 'wonderland');
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 16 * 60_000);
        const res = await get('/me', access_token);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
      } finally {
        vi.useRealTimers();
      }
    });

    it('rotates the refresh token and revokes the family when the old one is reused', async () => {
      const first = await login('alice', 'wonderland');
      const rotated = await post('/refresh', { refresh_token: first.refresh_token });
      expect(rotated.status).toBe(200);
      const second = (await rotated.json()) as Pair;
      expect((await get('/me', second.access_token)).status).toBe(200);
      const reuse = await post('/refresh', { refresh_token: first.refresh_token });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ code: 'ERR_REFRESH_TOKEN_REUSED' });
      const revoked = await post('/refresh', { refresh_token: second.refresh_token });
      expect(revoked.status).toBe(400);
      expect(await revoked.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('answers an unknown path with 404', async () => {
      expect((await get('/nope')).status).toBe(404);
    });
  });
}
