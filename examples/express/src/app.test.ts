import type { AddressInfo } from 'node:net';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './index.js';

describe('the Express example', () => {
  let issuer: TestIssuer;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'tokengate-demo' });
    const server = createApp({ auth: issuer.verifierOptions() }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
    await issuer?.close();
  });

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('serves the public route without a token', async () => {
    const res = await get('/public');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Anyone can read this.' });
  });

  it('answers the protected route with 401 and a Bearer challenge without a token', async () => {
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

  it('answers unknown paths with a JSON 404', async () => {
    const res = await get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
  });
});
