// Opaque access tokens resolved by introspection (RFC 7662), against oidc-provider on
// 127.0.0.1, through every adapter: one route takes oidc-provider's JWTs (verified locally with
// its JWK Set) and its opaque tokens (introspected), Bearer or DPoP-bound.
import { createVerifier, type VerifierOptions } from '@tokengate/core';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADAPTERS, type Adapter, type AdapterApi, startAdapterApi } from './adapter-apis.js';
import {
  API_RESOURCE,
  API_SCOPE,
  type AuthorizationServer,
  INTROSPECTORS,
  OPAQUE_CLIENT,
  SERVICE_CLIENT,
  startAuthorizationServer,
} from './authorization-server.js';
import { callApi, clientCredentials, discover } from './client.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const opaqueClient: oauth.Client = { client_id: OPAQUE_CLIENT.id };
const opaqueAuth = oauth.ClientSecretBasic(OPAQUE_CLIENT.secret);

/** How long the API remembers an introspection answer, seconds. */
const CACHE_MAX_AGE = 5;

let up = true;
let as: AuthorizationServer;
let metadata: oauth.AuthorizationServer;

beforeAll(async () => {
  as = await startAuthorizationServer({ introspection: { up: () => up } });
  metadata = await discover(as.issuer);
});
afterAll(() => as?.close());
afterEach(() => {
  up = true;
  vi.useRealTimers();
});

// An opaque access token of OPAQUE_CLIENT for our API, bound to `dpop` when given.
async function opaqueToken(dpop?: oauth.DPoPHandle): Promise<string> {
  const options = { ...insecure, ...(dpop && { DPoP: dpop }) };
  const parameters = { scope: API_SCOPE, resource: API_RESOURCE };
  const request = () =>
    oauth.clientCredentialsGrantRequest(metadata, opaqueClient, opaqueAuth, parameters, options);
  const response = await oauth.processClientCredentialsResponse(
    metadata,
    opaqueClient,
    await request(),
  );
  expect(response.access_token.split('.')).toHaveLength(1); // opaque, not a JWT
  return response.access_token;
}

async function revoke(token: string): Promise<void> {
  const response = await oauth.revocationRequest(
    metadata,
    opaqueClient,
    opaqueAuth,
    token,
    insecure,
  );
  await oauth.processRevocationResponse(response);
}

// Each adapter's route authenticates to the endpoint its own way.
const introspectionFor: Record<Adapter, VerifierOptions['introspection']> = {
  express: { clientId: INTROSPECTORS.basic.id, clientSecret: INTROSPECTORS.basic.secret },
  fastify: {
    clientId: INTROSPECTORS.post.id,
    clientSecret: INTROSPECTORS.post.secret,
    clientAuth: 'client_secret_post',
  },
  hono: {
    clientId: INTROSPECTORS.privateKeyJwt.id,
    privateKey: INTROSPECTORS.privateKeyJwt.privateKey,
  },
  nestjs: { clientId: INTROSPECTORS.basic.id, clientSecret: INTROSPECTORS.basic.secret },
};

describe.each(ADAPTERS)('%s: an API taking JWTs and opaque tokens', (adapter) => {
  let api: AdapterApi;
  const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn() };

  beforeAll(async () => {
    api = await startAdapterApi(adapter, (origin) => ({
      discovery: true,
      issuer: as.issuer,
      audience: API_RESOURCE,
      typ: 'rfc9068',
      dpop: { mode: 'allowed', origin, algorithms: ['ES256'] },
      logger,
      introspection: {
        ...(introspectionFor[adapter] as NonNullable<VerifierOptions['introspection']>),
        cache: { maxAge: CACHE_MAX_AGE },
      },
    }));
  });
  afterAll(() => api?.close());

  it('accepts an active opaque token: the claims and scopes come from the introspection answer', async () => {
    const response = await callApi(api.url, await opaqueToken());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      client_id: OPAQUE_CLIENT.id,
      scopes: [API_SCOPE],
      header: {},
    });
  });

  it('accepts a JWT from the same issuer on the same route, verified locally', async () => {
    const { access_token } = await clientCredentials(metadata, { scope: API_SCOPE });
    const response = await callApi(api.url, access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      sub: SERVICE_CLIENT.id,
      client_id: SERVICE_CLIENT.id,
      scopes: [API_SCOPE],
      header: { alg: 'ES256', typ: 'at+jwt' },
    });
  });

  it('refuses a revoked token on the first request after the cache bound', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const token = await opaqueToken();
    expect((await callApi(api.url, token)).status).toBe(200);
    await revoke(token);
    // Within `cache.maxAge` the remembered answer stands: the trade the option makes.
    expect((await callApi(api.url, token)).status).toBe(200);
    vi.setSystemTime(Date.now() + (CACHE_MAX_AGE + 1) * 1000);
    const refused = await callApi(api.url, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token is not active", DPoP realm="api", algs="ES256"',
    );
    expect(await refused.json()).toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
  });

  it('refuses a token the authorization server does not know', async () => {
    const response = await callApi(api.url, 'made-up-opaque-token');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
  });

  it('binds a DPoP-bound opaque token (cnf.jkt from the answer) to its key', async () => {
    const keyPair = await oauth.generateKeyPair('ES256');
    const dpop = oauth.DPoP(opaqueClient, keyPair);
    const token = await opaqueToken(dpop);
    const withProof = await callApi(api.url, token, dpop);
    expect(withProof.status).toBe(200);
    expect(await withProof.json()).toMatchObject({ jkt: await dpop.calculateThumbprint() });
    const asBearer = await callApi(api.url, token);
    expect(asBearer.status).toBe(401);
    expect(await asBearer.json()).toMatchObject({ code: 'ERR_TOKEN_BINDING' });
  });

  it('answers 503 with Retry-After while the endpoint is stopped, never 401; JWTs still pass', async () => {
    const token = await opaqueToken();
    const { access_token: jwt } = await clientCredentials(metadata, { scope: API_SCOPE });
    logger.error.mockClear();
    up = false;
    for (let i = 0; i < 2; i++) {
      const response = await callApi(api.url, token);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toMatchObject({
        error: 'temporarily_unavailable',
        code: 'ERR_INTROSPECTION_UNAVAILABLE',
      });
    }
    expect(logger.error).toHaveBeenCalledOnce();
    expect(logger.error.mock.calls[0]?.[0]).toMatch(/cannot introspect tokens at/);
    expect((await callApi(api.url, jwt)).status).toBe(200);
    up = true;
    expect((await callApi(api.url, token)).status).toBe(200);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/answers again/),
      expect.anything(),
    );
  });
});

describe('RFC 9701: signed introspection answers', () => {
  const options = (): VerifierOptions => ({
    discovery: true,
    issuer: as.issuer,
    audience: API_RESOURCE,
    logger: false,
    introspection: {
      clientId: INTROSPECTORS.signed.id,
      clientSecret: INTROSPECTORS.signed.secret,
      jwtResponse: true,
    },
  });

  it('verifies the JWT the server signs (typ, issuer keys, iss, aud) and reads the answer', async () => {
    const auth = await createVerifier(options()).verify(await opaqueToken());
    expect(auth.claims).toMatchObject({ client_id: OPAQUE_CLIENT.id, aud: API_RESOURCE });
    expect([...auth.scopes]).toEqual([API_SCOPE]);
  });
});
