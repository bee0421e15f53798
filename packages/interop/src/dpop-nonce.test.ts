// DPoP server nonces (RFC 9449 §8, §9) at an API protected by `@tokengate/node`: oauth4webapi
// keeps the nonce of a `use_dpop_nonce` answer or a 200's `DPoP-Nonce` and puts it in its
// next proof, as a client in production does.
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_SCOPE, SERVICE_CLIENT } from './authorization-server.js';
import {
  clientCredentials,
  type DpopKey,
  dpopKey,
  jwtPayload,
  proofFor,
  sendWithProof,
} from './client.js';
import { ALGS, dpopRefusal, NONCE_LIFETIME_S, type Peers, refused, startPeers } from './peers.js';

let peers: Peers;
let key: DpopKey;
let token: string;

beforeAll(async () => {
  peers = await startPeers();
});

afterAll(() => peers?.close());

// A fresh key (and so an empty nonce cache in its oauth4webapi handle) for each test.
beforeEach(async () => {
  key = await dpopKey();
  token = (await clientCredentials(peers.metadata, { scope: API_SCOPE }, key.handle)).access_token;
});

afterEach(() => {
  vi.useRealTimers();
});

/** oauth4webapi's protected resource request, which rejects on a challenge. */
const call = (path: string) =>
  oauth.protectedResourceRequest(token, 'GET', peers.api.url(path), undefined, undefined, {
    DPoP: key.handle,
    [oauth.allowInsecureRequests]: true,
  });

/** The refusal of a call oauth4webapi rejected with a challenge. */
async function challenged(path: string): Promise<oauth.WWWAuthenticateChallengeError> {
  return call(path).then(
    () => expect.unreachable(`${path} accepted a proof without a nonce`),
    (error: unknown) => error as oauth.WWWAuthenticateChallengeError,
  );
}

const NONCE = /^[\w-]{43}$/;

describe('an API requiring DPoP nonces', () => {
  it('answers a proof without a nonce with 401 use_dpop_nonce and a DPoP-Nonce', async () => {
    const answer = await refused(peers.api, '/nonce', (to) =>
      proofFor(to, token, key.handle).then((proof) => sendWithProof(to, token, proof)),
    );
    const description = 'A DPoP nonce is required';
    const code = 'ERR_DPOP_NONCE_REQUIRED';
    expect(answer).toEqual(dpopRefusal('use_dpop_nonce', description, code));
  });

  it('is retried by oauth4webapi (isDPoPNonceError) with the nonce, and then accepts', async () => {
    const refusal = await challenged('/nonce');
    expect(oauth.isDPoPNonceError(refusal)).toBe(true);
    expect(refusal.status).toBe(401);
    expect(refusal.response.headers.get('dpop-nonce')).toMatch(NONCE);
    expect(refusal.response.headers.get('www-authenticate')).toBe(
      `DPoP realm="api", error="use_dpop_nonce", error_description="A DPoP nonce is required", ${ALGS}`,
    );
    const retry = await call('/nonce');
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ sub: SERVICE_CLIENT.id, jkt: key.jkt });
  });

  it('sends a fresh DPoP-Nonce with the 200 of a proof carrying the previous nonce', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const first = (await challenged('/nonce')).response.headers.get('dpop-nonce');
    const current = await call('/nonce');
    expect(current.status).toBe(200);
    expect(current.headers.get('dpop-nonce')).toBeNull();
    // One nonce period later (the token, valid 10 minutes, still is): the nonce is the
    // previous one, still accepted, and the answer carries the new one (RFC 9449 §8.2).
    vi.setSystemTime(Date.now() + NONCE_LIFETIME_S * 1000);
    const late = await call('/nonce');
    expect(late.status).toBe(200);
    const fresh = late.headers.get('dpop-nonce');
    expect(fresh).toMatch(NONCE);
    expect(fresh).not.toBe(first);
    const next = await call('/nonce');
    expect(next.status).toBe(200);
    expect(next.headers.get('dpop-nonce')).toBeNull();
  });

  it('refuses a nonce two periods old with use_dpop_nonce; the retry with the new one passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await challenged('/nonce');
    expect((await call('/nonce')).status).toBe(200);
    vi.setSystemTime(Date.now() + 2 * NONCE_LIFETIME_S * 1000);
    const refusal = await challenged('/nonce');
    expect(oauth.isDPoPNonceError(refusal)).toBe(true);
    expect((await call('/nonce')).status).toBe(200);
  });
});

describe('an API requiring DPoP without nonces', () => {
  it('accepts a proof carrying the nonce another route of the origin gave', async () => {
    await challenged('/nonce');
    const proof = await proofFor(peers.api.url('/required'), token, key.handle);
    expect(jwtPayload(proof).nonce).toMatch(NONCE);
    const response = await sendWithProof(peers.api.url('/required'), token, proof);
    expect(response.status).toBe(200);
  });
});
