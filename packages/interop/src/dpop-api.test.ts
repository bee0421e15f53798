// DPoP (RFC 9449) at an API protected by `@tokengate/node`, against real peers on 127.0.0.1:
// oidc-provider issues the DPoP-bound JWT access tokens, oauth4webapi makes the proofs.
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  API_SCOPE,
  DPOP_ALGORITHMS,
  OTHER_RESOURCE,
  SERVICE_CLIENT,
} from './authorization-server.js';
import {
  authorizationCode,
  callApi,
  clientCredentials,
  type DpopKey,
  dpopKey,
  jwtPayload,
  proofFor,
  refresh,
  sendWithProof,
} from './client.js';
import { ALGS, dpopRefusal, NO_DPOP_CREDENTIAL, type Peers, refused, startPeers } from './peers.js';

let peers: Peers;

beforeAll(async () => {
  peers = await startPeers();
});

afterAll(() => peers?.close());

const url = (path: string) => peers.api.url(path);
const boundToken = async (key: DpopKey, resource?: string) =>
  clientCredentials(
    peers.metadata,
    { scope: API_SCOPE, ...(resource && { resource }) },
    key.handle,
  );
const bearerToken = () => clientCredentials(peers.metadata, { scope: API_SCOPE });

describe('an API requiring DPoP', () => {
  let key: DpopKey;
  let token: string;
  const refusedAt = (call: (url: URL) => Promise<Response>) =>
    refused(peers.api, '/required', call);

  beforeAll(async () => {
    key = await dpopKey();
    token = (await boundToken(key)).access_token;
  });

  it('accepts the DPoP-bound token with its proof; the handler sees the key thumbprint', async () => {
    const response = await callApi(url('/required'), token, key.handle);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: SERVICE_CLIENT.id, jkt: key.jkt });
    expect(peers.api.seen.at(-1)?.auth?.binding).toEqual({ jkt: key.jkt });
  });

  it.each([
    ['a query (htu leaves it out, RFC 9449 §4.2)', '/required?page=2&q=a%20b'],
    ['a percent-encoded path', '/required/caf%C3%A9/a%7Eb'],
    ['a path WHATWG URL encodes', '/required/café/{x}'],
  ])('accepts a proof for a URL with %s', async (_, path) => {
    const response = await callApi(url(path), token, key.handle);
    expect(response.status).toBe(200);
  });

  it('accepts a proof for a POST with a body', async () => {
    const response = await callApi(url('/required'), token, key.handle, undefined, 'POST');
    expect(response.status).toBe(200);
  });

  it('accepts a token of the authorization code flow, and the refreshed one', async () => {
    const user = await dpopKey();
    const first = await authorizationCode(peers.metadata, user.handle);
    const second = await refresh(peers.metadata, first.refresh_token ?? '', user.handle);
    for (const { access_token } of [first, second]) {
      const response = await callApi(url('/required'), access_token, user.handle);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ sub: ACCOUNT, jkt: user.jkt });
    }
  });

  it('refuses the token sent as Bearer as no credential: 401, only the DPoP challenge', async () => {
    expect(await refusedAt((to) => callApi(to, token))).toEqual(NO_DPOP_CREDENTIAL);
  });

  it('refuses an unbound bearer token from oidc-provider as no credential', async () => {
    const bearer = (await bearerToken()).access_token;
    expect(await refusedAt((to) => callApi(to, bearer))).toEqual(NO_DPOP_CREDENTIAL);
  });

  it('refuses the token with a proof signed by another key: 401 invalid_token', async () => {
    const thief = await dpopKey();
    const answer = await refusedAt((to) => callApi(to, token, thief.handle));
    const description = 'The DPoP proof is signed by another key than the token is bound to';
    expect(answer).toEqual(dpopRefusal('invalid_token', description, 'ERR_TOKEN_BINDING'));
  });

  it('refuses a DPoP-bound token issued for another resource: 401 invalid_token (aud)', async () => {
    const other = (await boundToken(key, OTHER_RESOURCE)).access_token;
    const answer = await refusedAt((to) => callApi(to, other, key.handle));
    const description = 'The token audience is not accepted';
    const code = 'ERR_CLAIM_INVALID';
    expect(answer).toEqual(dpopRefusal('invalid_token', description, code, { claim: 'aud' }));
  });

  it('refuses a proof sent a second time: 401 invalid_dpop_proof ERR_DPOP_PROOF_REPLAYED', async () => {
    const proof = await proofFor(url('/required'), token, key.handle);
    expect((await sendWithProof(url('/required'), token, proof)).status).toBe(200);
    const answer = await refusedAt((to) => sendWithProof(to, token, proof));
    const description = 'The DPoP proof has already been used';
    const code = 'ERR_DPOP_PROOF_REPLAYED';
    expect(answer).toEqual(dpopRefusal('invalid_dpop_proof', description, code));
  });

  it('lets exactly one of concurrent requests with the same proof through', async () => {
    const proof = await proofFor(url('/required'), token, key.handle);
    const calls = peers.api.seen.length;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => sendWithProof(url('/required'), token, proof)),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    const refusals = await Promise.all(
      answers.filter((answer) => answer.status !== 200).map((answer) => answer.json()),
    );
    expect(refusals.map((body) => body.code)).toEqual(Array(7).fill('ERR_DPOP_PROOF_REPLAYED'));
    expect(peers.api.seen.length).toBe(calls + 1);
  });

  it.each([
    ['10 minutes behind', -600, 'The DPoP proof is too old ("iat")'],
    ['a minute ahead', 60, 'The DPoP proof is issued in the future ("iat")'],
  ])('refuses a proof from a client clock %s: 401 invalid_dpop_proof', async (_, skew, description) => {
    const skewed = oauth.DPoP({ [oauth.clockSkew]: skew }, key.keyPair);
    const answer = await refusedAt((to) => callApi(to, token, skewed));
    const code = 'ERR_DPOP_PROOF_INVALID';
    expect(answer).toEqual(dpopRefusal('invalid_dpop_proof', description, code));
  });

  it('refuses a proof oauth4webapi made for another URL: 401 invalid_dpop_proof', async () => {
    const proof = await proofFor(url('/allowed'), token, key.handle);
    const answer = await refusedAt((to) => sendWithProof(to, token, proof));
    const description = 'The DPoP proof is for another URI ("htu")';
    const code = 'ERR_DPOP_PROOF_INVALID';
    expect(answer).toEqual(dpopRefusal('invalid_dpop_proof', description, code));
  });

  it('refuses a proof oauth4webapi made for another method: 401 invalid_dpop_proof', async () => {
    const proof = await proofFor(url('/required'), token, key.handle, 'POST');
    const answer = await refusedAt((to) => sendWithProof(to, token, proof));
    const description = 'The DPoP proof is for another method ("htm")';
    const code = 'ERR_DPOP_PROOF_INVALID';
    expect(answer).toEqual(dpopRefusal('invalid_dpop_proof', description, code));
  });

  it('refuses a proof oauth4webapi made for another token (ath): 401 invalid_dpop_proof', async () => {
    const second = (await boundToken(key)).access_token;
    const proof = await proofFor(url('/required'), second, key.handle);
    const answer = await refusedAt((to) => sendWithProof(to, token, proof));
    const description = 'The DPoP proof is for another access token ("ath")';
    const code = 'ERR_DPOP_PROOF_INVALID';
    expect(answer).toEqual(dpopRefusal('invalid_dpop_proof', description, code));
  });
});

describe.each(DPOP_ALGORITHMS)('a proof key for %s', (alg) => {
  it('gets a token from oidc-provider that the API accepts with its proof', async () => {
    const key = await dpopKey(alg);
    const token = (await boundToken(key)).access_token;
    expect(jwtPayload(token)).toMatchObject({ cnf: { jkt: key.jkt } });
    const response = await callApi(url('/any-alg'), token, key.handle);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: SERVICE_CLIENT.id, jkt: key.jkt });
  });
});

describe('an API allowing DPoP and Bearer', () => {
  it('accepts the DPoP-bound token with its proof', async () => {
    const key = await dpopKey();
    const token = (await boundToken(key)).access_token;
    const response = await callApi(url('/allowed'), token, key.handle);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: SERVICE_CLIENT.id, jkt: key.jkt });
  });

  it('accepts an unbound bearer token from oidc-provider; the handler sees no binding', async () => {
    const response = await callApi(url('/allowed'), (await bearerToken()).access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: SERVICE_CLIENT.id });
    expect(peers.api.seen.at(-1)?.auth?.binding).toBeUndefined();
  });

  it('refuses an unbound token sent with the DPoP scheme and a proof: 401 invalid_token', async () => {
    const bearer = (await bearerToken()).access_token;
    const key = await dpopKey();
    const answer = await refused(peers.api, '/allowed', (to) => callApi(to, bearer, key.handle));
    const description = 'The token is not bound to a DPoP key; send it as a Bearer token';
    expect(answer).toEqual({
      status: 401,
      challenge: `Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="${description}", ${ALGS}`,
      body: { error: 'invalid_token', error_description: description, code: 'ERR_TOKEN_BINDING' },
      handlerRan: false,
    });
  });

  it('refuses the DPoP-bound token sent as Bearer: 401 invalid_token on the Bearer challenge', async () => {
    const token = (await boundToken(await dpopKey())).access_token;
    const answer = await refused(peers.api, '/allowed', (to) => callApi(to, token));
    const description =
      'The token is bound to a DPoP key; send it with the DPoP scheme and a proof';
    expect(answer).toEqual({
      status: 401,
      challenge: `Bearer realm="api", error="invalid_token", error_description="${description}", DPoP realm="api", ${ALGS}`,
      body: { error: 'invalid_token', error_description: description, code: 'ERR_TOKEN_BINDING' },
      handlerRan: false,
    });
  });
});

describe('an API without DPoP', () => {
  it('accepts an unbound bearer token from oidc-provider', async () => {
    const response = await callApi(url('/bearer'), (await bearerToken()).access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: SERVICE_CLIENT.id });
  });

  it('refuses a DPoP-bound token: 401 invalid_token ERR_TOKEN_BINDING', async () => {
    const token = (await boundToken(await dpopKey())).access_token;
    const answer = await refused(peers.api, '/bearer', (to) => callApi(to, token));
    const description =
      'The token is bound to a DPoP key; this API does not check sender-constrained tokens';
    expect(answer).toEqual({
      status: 401,
      challenge: `Bearer realm="api", error="invalid_token", error_description="${description}"`,
      body: { error: 'invalid_token', error_description: description, code: 'ERR_TOKEN_BINDING' },
      handlerRan: false,
    });
  });
});
