// DPoP at the token endpoint (RFC 9449 §5, §8) with a real DPoP client: oauth4webapi makes the
// proofs and handles the nonces, against a token endpoint over the issuer on 127.0.0.1.
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRefreshTokenStore } from './refresh-store.js';
import { serveTokenEndpoint, type TokenEndpoint } from './test-support/dpop-token-endpoint.js';
import { keyFor } from './test-support/keys.js';
import { createTokenIssuer, type TokenIssuerOptions } from './token-issuer.js';

const ISSUER = 'https://id.example';
const client: oauth.Client = { client_id: 'app' };
const insecure = { [oauth.allowInsecureRequests]: true };

let endpoint: TokenEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function setup(dpop: TokenIssuerOptions['dpop'] = true) {
  const store = new MemoryRefreshTokenStore();
  const tokens = createTokenIssuer({
    issuer: ISSUER,
    audience: 'api',
    keys: await keyFor('ES256'),
    store,
    dpop,
  });
  endpoint = await serveTokenEndpoint(tokens);
  const as: oauth.AuthorizationServer = { issuer: ISSUER, token_endpoint: endpoint.url };
  const claimsOf = async (jwt: string) =>
    (await jwtVerify(jwt, createLocalJWKSet(tokens.jwks()), { issuer: ISSUER, audience: 'api' }))
      .payload;
  return { tokens, store, as, claimsOf, url: endpoint.url };
}

/** A DPoP key pair with its thumbprint, and oauth4webapi's proof handle over it. */
async function dpopKey(modify?: (header: object, payload: Record<string, unknown>) => void) {
  const keyPair = await generateKeyPair('ES256');
  const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
  const handle = oauth.DPoP(client, keyPair, modify ? { [oauth.modifyAssertion]: modify } : {});
  return { keyPair, jkt, handle };
}

type Handle = oauth.DPoPHandle | undefined;

const login = (
  as: oauth.AuthorizationServer,
  DPoP: Handle,
  options: oauth.TokenEndpointRequestOptions = {},
) =>
  oauth.genericTokenEndpointRequest(
    as,
    client,
    oauth.None(),
    'password',
    { username: 'user-1', password: 'secret' },
    { ...insecure, ...options, DPoP },
  );

const refresh = (as: oauth.AuthorizationServer, token: string, DPoP: Handle) =>
  oauth.refreshTokenGrantRequest(as, client, oauth.None(), token, { ...insecure, DPoP });

/** Status, headers and JSON body of a raw token endpoint answer. */
async function answer(response: Response) {
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, body };
}

async function pairOf(response: Response) {
  const { status, body } = await answer(response);
  expect(status, JSON.stringify(body)).toBe(200);
  return body as { access_token: string; refresh_token: string; token_type: string };
}

const refusal = (error: string, code: string) => ({
  status: 400,
  body: { error, error_description: expect.any(String), code },
});

describe('DPoP at the token endpoint', () => {
  it('binds a DPoP token request: token_type DPoP, cnf.jkt the key thumbprint, the family bound', async () => {
    const { as, claimsOf, store } = await setup();
    const key = await dpopKey();
    const response = await login(as, key.handle);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const pair = await pairOf(response);
    expect(pair.token_type).toBe('DPoP');
    expect(await claimsOf(pair.access_token)).toMatchObject({
      sub: 'user-1',
      cnf: { jkt: key.jkt },
    });
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(pair.refresh_token),
    );
    expect(await store.get(Buffer.from(digest).toString('base64url'))).toMatchObject({
      jkt: key.jkt,
    });
  });

  it('answers a request without a proof with an unbound Bearer pair', async () => {
    const { as, claimsOf } = await setup();
    const pair = await pairOf(await login(as, undefined));
    expect(pair.token_type).toBe('Bearer');
    expect(await claimsOf(pair.access_token)).not.toHaveProperty('cnf');
  });

  it('refreshes a bound family with a proof by the same key: DPoP again, same cnf.jkt', async () => {
    const { as, claimsOf } = await setup();
    const key = await dpopKey();
    const first = await pairOf(await login(as, key.handle));
    const response = await refresh(as, first.refresh_token, key.handle);
    const processed = await oauth.processRefreshTokenResponse(as, client, response);
    expect(processed.token_type).toBe('dpop');
    expect(await claimsOf(processed.access_token)).toMatchObject({ cnf: { jkt: key.jkt } });
    await expect(
      pairOf(await refresh(as, processed.refresh_token!, key.handle)),
    ).resolves.toMatchObject({
      token_type: 'DPoP',
    });
  });

  it.each([
    ['a proof by another key', 'other-key'],
    ['no proof', 'missing-proof'],
  ] as const)('refuses a bound refresh token with %s (400 invalid_grant) without burning it', async (_name, reason) => {
    const { as } = await setup();
    const key = await dpopKey();
    const thief = reason === 'other-key' ? (await dpopKey()).handle : undefined;
    const pair = await pairOf(await login(as, key.handle));
    const refused = await answer(await refresh(as, pair.refresh_token, thief));
    expect(refused).toMatchObject(refusal('invalid_grant', 'ERR_REFRESH_TOKEN_BINDING'));
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('www-authenticate')).toBeNull();
    // Neither rotated nor revoked: the key holder still refreshes with it.
    await expect(pairOf(await refresh(as, pair.refresh_token, key.handle))).resolves.toMatchObject({
      token_type: 'DPoP',
    });
  });

  it('refuses a rotated bound token replayed without the key, without revoking the family', async () => {
    const { as } = await setup();
    const key = await dpopKey();
    const first = await pairOf(await login(as, key.handle));
    const second = await pairOf(await refresh(as, first.refresh_token, key.handle));
    const stolen = await answer(await refresh(as, first.refresh_token, (await dpopKey()).handle));
    expect(stolen).toMatchObject(refusal('invalid_grant', 'ERR_REFRESH_TOKEN_BINDING'));
    await expect(
      pairOf(await refresh(as, second.refresh_token, key.handle)),
    ).resolves.toBeDefined();
  });

  it('still revokes the family when the key holder reuses a rotated token (RFC 9700 §4.14.2)', async () => {
    const { as } = await setup();
    const key = await dpopKey();
    const first = await pairOf(await login(as, key.handle));
    const second = await pairOf(await refresh(as, first.refresh_token, key.handle));
    const reused = await answer(await refresh(as, first.refresh_token, key.handle));
    expect(reused).toMatchObject(refusal('invalid_grant', 'ERR_REFRESH_TOKEN_REUSED'));
    const revoked = await answer(await refresh(as, second.refresh_token, key.handle));
    expect(revoked).toMatchObject(refusal('invalid_grant', 'ERR_REFRESH_TOKEN_INVALID'));
  });

  it('binds only the access token when an unbound family is refreshed with a proof', async () => {
    const { as, claimsOf } = await setup();
    const key = await dpopKey();
    const first = await pairOf(await login(as, undefined));
    const second = await pairOf(await refresh(as, first.refresh_token, key.handle));
    expect(second.token_type).toBe('DPoP');
    expect(await claimsOf(second.access_token)).toMatchObject({ cnf: { jkt: key.jkt } });
    const third = await pairOf(await refresh(as, second.refresh_token, undefined));
    expect(third.token_type).toBe('Bearer');
    expect(await claimsOf(third.access_token)).not.toHaveProperty('cnf');
  });

  it('refuses a replayed proof with 400 invalid_dpop_proof and issues nothing', async () => {
    const { as, store } = await setup();
    const key = await dpopKey();
    let proof: string | null = null;
    const capture = (url: string, init: oauth.CustomFetchOptions<'POST', URLSearchParams>) => {
      proof = new Headers(init.headers).get('dpop');
      return fetch(url, init);
    };
    await pairOf(await login(as, key.handle, { [oauth.customFetch]: capture }));
    const replay = await fetch(as.token_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof! },
      body: 'grant_type=password&username=user-1&client_id=app',
    });
    const refused = await answer(replay);
    expect(refused).toMatchObject(refusal('invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED'));
    expect(refused.headers.get('www-authenticate')).toBeNull();
    expect(store.size).toBe(1);
  });

  it.each([
    ['another URL', { htu: 'https://elsewhere.example/token' }],
    ['another method', { htm: 'GET' }],
    ['a stale iat', { iat: Math.floor(Date.now() / 1000) - 3600 }],
  ])('refuses a proof for %s with 400 invalid_dpop_proof, before touching the refresh token', async (_name, change) => {
    const { as, store } = await setup();
    const key = await dpopKey();
    const bad = await dpopKey((_h, payload) => Object.assign(payload, change));
    const refusedLogin = await answer(await login(as, bad.handle));
    expect(refusedLogin).toMatchObject(refusal('invalid_dpop_proof', 'ERR_DPOP_PROOF_INVALID'));
    expect(store.size).toBe(0);
    const pair = await pairOf(await login(as, key.handle));
    const refusedRefresh = await answer(await refresh(as, pair.refresh_token, bad.handle));
    expect(refusedRefresh).toMatchObject(refusal('invalid_dpop_proof', 'ERR_DPOP_PROOF_INVALID'));
    await expect(pairOf(await refresh(as, pair.refresh_token, key.handle))).resolves.toBeDefined();
  });

  it('asks for a nonce with 400 use_dpop_nonce and DPoP-Nonce; the client retries with it', async () => {
    const { as, tokens } = await setup({ nonce: { secret: 'n'.repeat(32) } });
    const key = await dpopKey();
    const first = await login(as, key.handle);
    const asked = await answer(first.clone());
    const nonce = await tokens.dpopNonce();
    expect(nonce).toEqual(expect.any(String));
    expect(asked).toMatchObject(refusal('use_dpop_nonce', 'ERR_DPOP_NONCE_REQUIRED'));
    expect(asked.headers.get('dpop-nonce')).toBe(nonce);
    const error = await oauth
      .processGenericTokenEndpointResponse(as, client, first)
      .catch((e: unknown) => e);
    expect(oauth.isDPoPNonceError(error)).toBe(true);
    // oauth4webapi kept the nonce from the answer: the retry's proof carries it.
    const retried = await login(as, key.handle);
    expect(retried.headers.get('dpop-nonce')).toBe(nonce);
    const pair = await oauth.processGenericTokenEndpointResponse(as, client, retried);
    expect(pair.token_type).toBe('dpop');
    const refreshed = await refresh(as, pair.refresh_token!, key.handle);
    await expect(oauth.processRefreshTokenResponse(as, client, refreshed)).resolves.toMatchObject({
      token_type: 'dpop',
    });
  });
});

describe('the dpop option', () => {
  it('refuses a caller-set cnf claim with a TypeError: only a proof binds a token', async () => {
    const tokens = createTokenIssuer({
      issuer: ISSUER,
      audience: 'api',
      keys: await keyFor('ES256'),
    });
    await expect(tokens.issueTokens('user-1', { cnf: { jkt: 'x' } })).rejects.toThrow(
      '"cnf" is set by the issuer; it cannot be given in the claims',
    );
  });

  it('refuses a proof given to an issuer built without "dpop" with a TypeError', async () => {
    const tokens = createTokenIssuer({
      issuer: ISSUER,
      audience: 'api',
      keys: await keyFor('ES256'),
    });
    const dpop = { proof: 'x.y.z', method: 'POST', uri: 'https://id.example/token' };
    await expect(tokens.issueTokens('user-1', {}, { dpop })).rejects.toThrow(
      '"dpop" was given, but the issuer was built without the "dpop" option',
    );
    await expect(tokens.dpopNonce()).resolves.toBeUndefined();
  });

  it.each(['on', null, 1])('refuses dpop: %j with a TypeError', async (dpop) => {
    const keys = await keyFor('ES256');
    expect(() =>
      createTokenIssuer({ issuer: ISSUER, audience: 'api', keys, dpop: dpop as never }),
    ).toThrow(TypeError);
  });

  it.each([
    [{ maxAge: 'soon' }, 'Option "dpop": "maxAge" must be'],
    [{ nonce: { secret: 'short' } }, 'Option "dpop": "nonce.secret" must be'],
    [{ mode: 'required' }, 'Option "dpop": Unknown option "mode"'],
  ])('refuses dpop: %j at construction with a TypeError naming the option', async (dpop, message) => {
    const keys = await keyFor('ES256');
    expect(() =>
      createTokenIssuer({ issuer: ISSUER, audience: 'api', keys, dpop: dpop as never }),
    ).toThrow(message);
  });

  it('refuses a dpop request without method or uri with a TypeError', async () => {
    const { tokens } = await setup();
    for (const dpop of [{ proof: 'x' }, { proof: 'x', method: 'POST' }, { proof: 'x', uri: 'u' }]) {
      await expect(tokens.issueTokens('user-1', {}, { dpop: dpop as never })).rejects.toThrow(
        '"dpop" must be { proof, method, uri }',
      );
    }
  });
});
