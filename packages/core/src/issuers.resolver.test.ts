import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError, KeySetUnavailableError } from './errors.js';
import type { IssuerConfig } from './options.js';
import {
  type JwksServer,
  makeKey,
  startJwksServer,
  type TestKey,
} from './test-support/jwks-server.js';
import { NOW, SECRET, sign } from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

const TENANTS = 101;
const iss = (i: number) => `https://t${i}.example/`;
const enc = new TextEncoder();
let server: JwksServer;
let k1: TestKey;
let forged: TestKey;

function token(key: TestKey, issuer: string, kid = key.kid) {
  return new SignJWT({ sub: 'u1', iss: issuer, exp: NOW + 600 })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(key.privateKey);
}

function tenantVerifier(jwks: IssuerConfig['jwks'] = {}) {
  const resolve = vi.fn((issuer: string): IssuerConfig | undefined => {
    const i = /^https:\/\/t(\d+)\.example\/$/.exec(issuer)?.[1];
    if (i === undefined) return undefined;
    return { issuer, jwksUri: `${server.origin}/t${i}/jwks.json`, algorithms: ['ES256'], jwks };
  });
  // The tokens carry no `aud`: these tests are about the key sources.
  return { resolve, verifier: createVerifier({ audience: false, issuers: resolve }) };
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  server = await startJwksServer();
  k1 = await makeKey('k1');
  forged = await makeKey('k1');
  for (let i = 0; i < TENANTS; i++)
    server.routes.set(`/t${i}/jwks.json`, { body: { keys: [k1.jwk] } });
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('issuers resolver under a tenant-cycling flood', () => {
  it('keeps JWKS fetches at one per tenant when forged tokens cycle over more tenants than it keeps', async () => {
    const { resolve, verifier } = tenantVerifier();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < TENANTS; i++)
        await expect(verifier.verify(await token(forged, iss(i)))).rejects.toBeInstanceOf(
          InvalidSignatureError,
        );
      // Round 1 warms each tenant once; the issuer LRU (100) evicts on every later token.
      expect(server.count()).toBe(TENANTS);
    }
    expect(resolve.mock.calls.length).toBeGreaterThan(TENANTS * 2);
    // An evicted tenant's re-created source starts warm: a valid token costs no fetch.
    await expect(verifier.verify(await token(k1, iss(0)))).resolves.toBeTruthy();
    expect(server.count()).toBe(TENANTS);
  });

  it('keeps the cooldown and negative cache across re-created sources for random kids', async () => {
    const { verifier } = tenantVerifier({ rotationBudget: 0 });
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < TENANTS; i++)
        await expect(
          verifier.verify(await token(forged, iss(i), `r${round}-${i}`)),
        ).rejects.toBeInstanceOf(InvalidSignatureError);
    // 303 forged tokens with unknown kids: the cold fetch of each tenant and nothing more.
    expect(server.count()).toBe(TENANTS);
  });

  it('keeps the failure backoff across re-created sources when the tenants endpoints are down', async () => {
    server.fault = { kind: 'status', status: 500 };
    const { verifier } = tenantVerifier();
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < TENANTS; i++)
        await expect(verifier.verify(await token(k1, iss(i)))).rejects.toBeInstanceOf(
          KeySetUnavailableError,
        );
    // One failed fetch per tenant; later tokens wait out its backoff instead of refetching.
    expect(server.count()).toBe(TENANTS);
  });
});

describe('the cache of resolved issuers', () => {
  it('evicts the least recently used issuer, keeping one that was just used', async () => {
    const resolve = vi.fn((issuer: string) => ({ issuer, secret: SECRET }));
    const verifier = createVerifier({ audience: false, issuers: resolve, maxResolvedIssuers: 2 });
    const hs = (i: number) => sign({ iss: iss(i), exp: NOW + 600 }, enc.encode(SECRET));
    await verifier.verify(await hs(0));
    await verifier.verify(await hs(1));
    await verifier.verify(await hs(0)); // t0 becomes the most recently used
    await verifier.verify(await hs(2)); // evicts t1, not t0
    expect(resolve).toHaveBeenCalledTimes(3);
    await verifier.verify(await hs(0));
    expect(resolve).toHaveBeenCalledTimes(3);
    await verifier.verify(await hs(1));
    expect(resolve).toHaveBeenCalledTimes(4);
  });

  it('refuses a bad maxResolvedIssuers, or one without an issuers function', () => {
    const issuers = (issuer: string) => ({ issuer, secret: SECRET });
    expect(() => createVerifier({ issuers, maxResolvedIssuers: 0 })).toThrow(
      /"maxResolvedIssuers" must be a positive integer/,
    );
    expect(() => createVerifier({ secret: SECRET, maxResolvedIssuers: 10 })).toThrow(
      /only applies when "issuers" is a function/,
    );
  });
});
