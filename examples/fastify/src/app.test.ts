import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, configFromEnv, DEMO_SECRET, demoToken } from './index.js';

describe('the Fastify example over HTTP', () => {
  let issuer: TestIssuer;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'tokengate-demo' });
    app = await buildApp({ auth: issuer.verifierOptions() });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('serves the public route without a token', async () => {
    const res = await get('/public');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Anyone can read this.' });
  });

  it('answers the protected route with 401 and a bare Bearer challenge without a token', async () => {
    const res = await get('/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
  });

  it('shows the caller their subject and scopes with a JWKS-signed token', async () => {
    const token = await issuer.mint({ sub: 'alice', scope: 'read:things profile' });
    const res = await get('/me', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'alice', scopes: ['read:things', 'profile'] });
  });

  it('personalises the feed only when a token is sent', async () => {
    expect(await (await get('/feed')).json()).toEqual({ personalised: false });
    expect(await (await get('/feed', await issuer.mint())).json()).toEqual({ personalised: true });
  });

  it('lists things only for a token with read:things', async () => {
    const ok = await get('/things', await issuer.mint({ scope: 'read:things' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ things: [{ id: 1, name: 'teapot' }] });
    const denied = await get('/things', await issuer.mint({ scope: 'profile' }));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('scope="read:things"');
  });

  it('refuses an expired token with 401 invalid_token', async () => {
    const res = await get('/me', await issuer.mint({}, { expiresIn: -120 }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('the demo configuration', () => {
  it('accepts the demo token it prints', async () => {
    const config = configFromEnv({});
    const app = await buildApp({ auth: config.auth });
    const token = await demoToken(
      { issuer: String(config.auth.issuer), audience: String(config.auth.audience) },
      DEMO_SECRET,
      'read:things',
    );
    const res = await app.inject({ url: '/things', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    await app.close();
  });
});
