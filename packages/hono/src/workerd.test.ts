import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mint, options } from './test-support/tokens.js';
import { startWorkerProxy } from './test-support/workerd.js';

// The adapter inside Cloudflare's workerd runtime (miniflare), reached over loopback.
describe('jwtAuth inside workerd', () => {
  const hits: string[] = [];
  let server: Awaited<ReturnType<typeof startWorkerProxy>>;
  const get = (path: string, headers?: HeadersInit) =>
    fetch(`${server.baseUrl}${path}`, { headers });

  beforeAll(async () => {
    const down = { ...options, secret: undefined, jwksUri: 'http://127.0.0.1:9/jwks.json' };
    const sources = { options, downOptions: down, defaultOptions: options };
    server = await startWorkerProxy(sources, (route, auth) => {
      hits.push(route);
      return { route, sub: auth?.claims.sub ?? null, scopes: auth ? [...auth.scopes] : [] };
    });
  });
  afterAll(() => server?.close());

  it('verifies a valid token and hands the claims to the handler', async () => {
    const res = await get('/protected', {
      Authorization: `Bearer ${await mint({ scope: 'a b' })}`,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ route: '/protected', sub: 'user-1', scopes: ['a', 'b'] });
  });

  it('answers a missing token with 401 and the realm challenge', async () => {
    const before = hits.length;
    const res = await get('/protected');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
    expect(hits.length).toBe(before);
  });

  it('refuses two Authorization headers with 400 invalid_request', async () => {
    const token = await mint();
    const headers = new Headers();
    headers.append('Authorization', `Bearer ${token}`);
    headers.append('Authorization', `Bearer ${token}`);
    const res = await get('/protected', headers);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('answers 403 insufficient_scope with the scope parameter', async () => {
    const res = await get('/scoped', { Authorization: `Bearer ${await mint({ scope: 'other' })}` });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read:things"',
    );
  });
});
