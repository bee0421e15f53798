import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createEnvApp, loadConfig, start } from './index.js';

describe('hono example', () => {
  let issuer: TestIssuer;
  let env: Record<string, string>;
  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'tokengate-example' });
    env = { ISSUER: issuer.issuer, JWKS_URI: issuer.jwksUri, PORT: '0' };
  });
  afterAll(() => issuer?.close());
  const auth = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  it('serves the public route without a token', async () => {
    const res = await createApp(loadConfig(env)).request('/');
    expect(res.status).toBe(200);
  });

  it('answers the protected route with the caller from the token', async () => {
    const app = createApp(loadConfig(env));
    const res = await app.request('/api/me', auth(await issuer.mint({ sub: 'ada', scope: 'a' })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'ada', scopes: ['a'] });
  });

  it('refuses the protected route without a token with 401 and a Bearer challenge', async () => {
    const res = await createApp(loadConfig(env)).request('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokengate-example"');
  });

  it('needs the read:things scope on the scoped route', async () => {
    const app = createApp(loadConfig(env));
    const denied = await app.request('/api/things', auth(await issuer.mint({ scope: 'other' })));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('scope="read:things"');
    const ok = await app.request('/api/things', auth(await issuer.mint({ scope: 'read:things' })));
    expect(ok.status).toBe(200);
  });

  it('reads its configuration from bindings the Workers way', async () => {
    const app = createEnvApp();
    const res = await app.request('/api/me', auth(await issuer.mint({ sub: 'w' })), env);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: 'w' });
  });

  it('starts on Node and answers over HTTP', async () => {
    const { url, server } = await start(loadConfig(env));
    try {
      const res = await fetch(`${url}/api/me`, auth(await issuer.mint({ sub: 'node' })));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ sub: 'node' });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('refuses a bad PORT with a TypeError', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(TypeError);
  });
});
