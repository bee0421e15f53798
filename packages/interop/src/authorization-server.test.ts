// oidc-provider and oauth4webapi together, before any API: the DPoP-bound tokens the API tests
// rely on are what a real authorization server issues to a real client (RFC 9449 §5, §8, §10).
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  API_RESOURCE,
  API_SCOPE,
  type AuthorizationServer,
  SERVICE_CLIENT,
  startAuthorizationServer,
} from './authorization-server.js';
import {
  authorizationCode,
  clientCredentials,
  clientCredentialsOnce,
  discover,
  dpopKey,
  jwtPayload,
  refresh,
} from './client.js';

let as: AuthorizationServer;
let metadata: oauth.AuthorizationServer;
let requireNonce = false;

beforeAll(async () => {
  as = await startAuthorizationServer({ requireNonce: () => requireNonce });
  metadata = await discover(as.issuer);
});

afterAll(() => as?.close());

describe('oidc-provider with DPoP, oauth4webapi as the client', () => {
  it('advertises DPoP in its metadata', () => {
    expect(metadata.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('issues a DPoP-bound RFC 9068 access token for our API to a client credentials grant', async () => {
    const { handle, jkt } = await dpopKey();
    const token = await clientCredentials(metadata, { scope: API_SCOPE }, handle);
    expect(token.token_type).toBe('dpop');
    expect(jwtPayload(token.access_token)).toMatchObject({
      iss: as.issuer,
      sub: SERVICE_CLIENT.id,
      aud: API_RESOURCE,
      scope: API_SCOPE,
      cnf: { jkt },
    });
  });

  it('issues an unbound bearer token to a token request without a proof', async () => {
    const token = await clientCredentials(metadata, { scope: API_SCOPE });
    expect(token.token_type).toBe('bearer');
    expect(jwtPayload(token.access_token)).not.toHaveProperty('cnf');
  });

  it('answers a proof without a nonce with use_dpop_nonce; the retry carries it', async () => {
    requireNonce = true;
    try {
      const { handle, jkt } = await dpopKey();
      const first = await clientCredentialsOnce(metadata, { scope: API_SCOPE }, handle).then(
        () => expect.unreachable('a proof without a nonce was accepted'),
        (error: unknown) => error,
      );
      expect(oauth.isDPoPNonceError(first)).toBe(true);
      const { response } = first as oauth.ResponseBodyError;
      expect(response.headers.get('dpop-nonce')).toMatch(/^[\w-]+$/);
      const token = await clientCredentialsOnce(metadata, { scope: API_SCOPE }, handle);
      expect(jwtPayload(token.access_token)).toMatchObject({ cnf: { jkt } });
    } finally {
      requireNonce = false;
    }
  });

  it('binds the code (dpop_jkt), the access token and the refresh token to the key', async () => {
    const { handle, jkt } = await dpopKey();
    const token = await authorizationCode(metadata, handle);
    expect(token.token_type).toBe('dpop');
    expect(jwtPayload(token.access_token)).toMatchObject({ sub: ACCOUNT, cnf: { jkt } });
    const refreshed = await refresh(metadata, token.refresh_token ?? '', handle);
    expect(jwtPayload(refreshed.access_token)).toMatchObject({ sub: ACCOUNT, cnf: { jkt } });
    const thief = await dpopKey();
    await expect(
      refresh(metadata, refreshed.refresh_token ?? '', thief.handle),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(as.grantErrors.at(-1)).toBe('failed jkt verification');
  });

  it('refuses a code bound by dpop_jkt when redeemed with another key', async () => {
    const { handle } = await dpopKey();
    const thief = await dpopKey();
    await expect(authorizationCode(metadata, handle, thief.handle)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(as.grantErrors.at(-1)).toBe('DPoP proof key thumbprint does not match dpop_jkt');
  });
});
