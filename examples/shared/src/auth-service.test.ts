import { createVerifier } from '@tokengate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthService, createAuthService, verifierOptions } from './auth-service.js';
import { startIssuerServer } from './issuer-server.js';
import type { RunningApi } from './routes.js';

const alice = { username: 'alice', password: 'wonderland' };

describe('the auth service', () => {
  let service: AuthService;
  beforeAll(async () => {
    service = await createAuthService({ issuer: 'http://issuer.test', audience: 'api' });
  });

  it('logs a demo user in with a no-store token pair', async () => {
    const res = await service.login(alice);
    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
  });

  it('refuses a wrong password or an unknown user with 400 invalid_grant', async () => {
    for (const body of [
      { ...alice, password: 'nope' },
      { username: 'eve', password: 'x' },
    ]) {
      const res = await service.login(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('refuses a login body without string credentials with 400 invalid_request', async () => {
    for (const body of [
      undefined,
      null,
      'alice',
      { username: 'alice' },
      { ...alice, password: 1 },
    ]) {
      const res = await service.login(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
    const first = (await service.login(alice)).body as { refresh_token: string };
    const second = await service.refresh({ refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    const reuse = await service.refresh({ refresh_token: first.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_REFRESH_TOKEN_REUSED' });
    const next = (second.body as { refresh_token: string }).refresh_token;
    const afterRevoke = await service.refresh({ refresh_token: next });
    expect(afterRevoke.body).toMatchObject({ code: 'ERR_REFRESH_TOKEN_INVALID' });
  });

  it('refuses a refresh without a refresh token string with 400 invalid_request', async () => {
    for (const body of [undefined, null, {}, { refresh_token: 42 }, { refresh_token: '' }]) {
      const res = await service.refresh(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('refuses an unknown refresh token with 400 invalid_grant', async () => {
    const res = await service.refresh({ refresh_token: 'short' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers a login with 503 and Retry-After while the refresh-token store is down', async () => {
    const down = () => Promise.reject(new Error('connection refused'));
    const store = { insert: down, get: down, rotate: down, revokeFamily: down };
    const broken = await createAuthService({
      issuer: 'http://issuer.test',
      audience: 'api',
      store,
    });
    const res = await broken.login(alice);
    expect(res.status).toBe(503);
    expect(res.headers['Retry-After']).toBeDefined();
    expect(res.body).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('publishes only public key members in its JWK Set', () => {
    const { body } = service.jwks();
    const [key] = (body as { keys: Record<string, unknown>[] }).keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key).not.toHaveProperty('d');
  });
});

describe('the issuer server', () => {
  let service: AuthService;
  let server: RunningApi;
  beforeAll(async () => {
    service = await createAuthService({ issuer: 'http://issuer.test', audience: 'api' });
    server = await startIssuerServer(service, { port: 0 });
  });
  afterAll(() => server?.close());

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': type } });

  it('issues tokens that a verifier accepts through the served JWK Set', async () => {
    const res = await post('/login', JSON.stringify(alice));
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const verifier = createVerifier(
      verifierOptions(service, { jwksUri: `${server.url}/.well-known/jwks.json` }),
    );
    const auth = await verifier.verify(access_token);
    expect(auth.claims).toMatchObject({
      sub: 'alice',
      scope: 'profile',
      iss: 'http://issuer.test',
    });
  });

  it('refuses a body that is not application/json with 400 invalid_request', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      const res = await post('/login', JSON.stringify(alice), type);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect(
      (await post('/login', JSON.stringify(alice), 'application/json; charset=utf-8')).status,
    ).toBe(200);
  });

  it('answers broken JSON, an oversized body and unknown paths without crashing', async () => {
    expect((await post('/login', '{nope')).status).toBe(400);
    expect((await post('/refresh', 'x'.repeat(20_000))).status).toBe(400);
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found' });
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({
      status: 'ok',
      framework: 'issuer',
    });
  });
});
