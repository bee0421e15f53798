import 'reflect-metadata';
import { bearer } from '@tokengate/testing/mint';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GlobalGuardModule, OptionalAppModule, ran } from './test-support/apps.js';
import { get, platforms, start } from './test-support/http.js';
import { mint } from './test-support/tokens.js';

describe.each(platforms)('JwtAuthGuard as APP_GUARD on %s', (_name, adapter) => {
  let server: Awaited<ReturnType<typeof start>>;
  const url = (path: string) => `${server.baseUrl}${path}`;

  beforeAll(async () => {
    server = await start(GlobalGuardModule, adapter);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    ran.length = 0;
  });

  it('answers a valid token with 200 and injects AuthInfo and a single claim with @Auth()', async () => {
    const res = await get(url('/me'), bearer(await mint({ scope: 'b a' })));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      sub: 'user-1',
      scopes: ['a', 'b'],
      claimSub: 'user-1',
      header: 'HS256',
    });
  });

  it('refuses a request without a token with 401 and a bare Bearer realm challenge', async () => {
    const res = await get(url('/me'));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'Authentication required',
      code: 'ERR_TOKEN_MISSING',
    });
    expect(ran).toEqual([]);
  });

  it('refuses two Authorization headers with 400 invalid_request', async () => {
    const token = await mint();
    const res = await get(url('/me'), { authorization: [`Bearer ${token}`, `Bearer ${token}`] });
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_request"/);
    expect(res.json()).toMatchObject({ error: 'invalid_request', code: 'ERR_INVALID_REQUEST' });
    expect(ran).toEqual([]);
  });

  it('refuses an expired token with 401 invalid_token that says it expired', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const res = await get(url('/me'), bearer(await mint({ iat: past - 60, exp: past })));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(
      /error="invalid_token", error_description="[^"]*expired/,
    );
    expect(res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' });
    expect(ran).toEqual([]);
  });

  it('refuses a token signed with another secret with 401 invalid_token', async () => {
    const token = await mint({}, { key: 'stranger' });
    const res = await get(url('/me'), bearer(token));
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_token' });
    expect(res.body).not.toContain(token);
    expect(ran).toEqual([]);
  });

  it('refuses a token without the class scope with 403 insufficient_scope naming it', async () => {
    const res = await get(url('/things/list'), bearer(await mint({ scope: 'other' })));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read:things"',
    );
    expect(res.json()).toMatchObject({
      error: 'insufficient_scope',
      code: 'ERR_INSUFFICIENT_SCOPE',
    });
    expect(ran).toEqual([]);
  });

  it('lets a method @Scopes() replace the class @Scopes()', async () => {
    const writer = await get(url('/things/write'), bearer(await mint({ scope: 'write:things' })));
    expect(writer.status).toBe(200);
    const reader = await get(url('/things/write'), bearer(await mint({ scope: 'read:things' })));
    expect(reader.status).toBe(403);
    expect(reader.headers['www-authenticate']).toContain('scope="write:things"');
  });

  it('combines the class @Scopes() with a method @AnyScope()', async () => {
    const ok = await get(url('/things/any'), bearer(await mint({ scope: 'read:things admin' })));
    expect(ok.status).toBe(200);
    const noneOf = await get(url('/things/any'), bearer(await mint({ scope: 'read:things' })));
    expect(noneOf.status).toBe(403);
    expect(noneOf.headers['www-authenticate']).toContain('scope="admin write:things"');
    const noAll = await get(url('/things/any'), bearer(await mint({ scope: 'admin' })));
    expect(noAll.status).toBe(403);
    expect(ran).toEqual(['any']);
  });

  it('lets a @Public() method through without a token and without auth', async () => {
    const res = await get(url('/things/open'), { authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ auth: null });
  });

  it('lets a method marked @Public(false) on a @Public() controller require a token', async () => {
    expect((await get(url('/docs'))).json()).toEqual({ docs: true });
    const drafts = await get(url('/docs/drafts'));
    expect(drafts.status).toBe(401);
    expect(ran).toEqual(['docs']);
    const mine = await get(url('/docs/drafts'), bearer(await mint({ sub: 'writer' })));
    expect(mine.json()).toEqual({ sub: 'writer' });
  });

  it('lets @OptionalAuth() pass a missing token but refuse an invalid one', async () => {
    const anonymous = await get(url('/me/optional'));
    expect(anonymous.status).toBe(200);
    expect(anonymous.json()).toEqual({ auth: null });
    const bad = await get(url('/me/optional'), bearer('a.b.c'));
    expect(bad.status).toBe(401);
    const good = await get(url('/me/optional'), bearer(await mint()));
    expect(good.json()).toEqual({ auth: { sub: 'user-1', scopes: [] } });
  });

  it("lets @OptionalAuth('allow-invalid') pass an invalid token without auth", async () => {
    const res = await get(url('/me/lenient'), bearer('a.b.c'));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ auth: null });
    const two = await get(url('/me/lenient'), { authorization: ['Bearer a.b.c', 'Bearer d.e.f'] });
    expect(two.status).toBe(400);
  });

  it('refuses an anonymous request on an optional route that requires scopes with 401', async () => {
    const res = await get(url('/me/optional-scoped'));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(ran).toEqual([]);
  });

  it('enforces @RequireClaims() with 401 invalid_token naming the claim', async () => {
    const ok = await get(url('/me/acme'), bearer(await mint({ org: 'acme' })));
    expect(ok.json()).toEqual({ org: 'acme' });
    const other = await get(url('/me/acme'), bearer(await mint({ org: 'globex' })));
    expect(other.status).toBe(401);
    expect(other.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_CLAIM_INVALID' });
    expect(other.headers['www-authenticate']).toContain('org');
  });
});

describe.each(platforms)('optional auth from the module options on %s', (_name, adapter) => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start(OptionalAppModule, adapter);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    ran.length = 0;
  });

  it('lets an anonymous request through unless the route requires claims or scopes', async () => {
    const open = await get(`${server.baseUrl}/feed`);
    expect(open.json()).toEqual({ auth: null });
    const claims = await get(`${server.baseUrl}/me/acme`);
    expect(claims.status).toBe(401);
    expect(ran).toEqual(['feed']);
  });

  it('requires a token again on a route marked @OptionalAuth(false)', async () => {
    const res = await get(`${server.baseUrl}/feed/mine`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(ran).toEqual([]);
    const ok = await get(`${server.baseUrl}/feed/mine`, bearer(await mint()));
    expect(ok.json()).toEqual({ auth: { sub: 'user-1', scopes: [] } });
  });
});
