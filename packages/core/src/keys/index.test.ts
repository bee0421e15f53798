import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidClaimError, InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import { AUDIENCE, claims, ISSUER, keyPairs, NOW, SECRET, sign } from '../test-support/tokens.js';
import { createVerifier } from '../verifier.js';
import { createKeySource } from './index.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createKeySource', () => {
  it('builds the one source the options name', async () => {
    const { rsa } = await keyPairs();
    expect(createKeySource({ secret: SECRET }).algorithms).toEqual(['HS256']);
    expect(createKeySource({ keys: rsa.jwk }).algorithms).toContain('PS256');
    expect(createKeySource({ jwksUri: 'https://id.example/jwks' }).algorithms).toEqual([
      'RS256',
      'RS384',
      'RS512',
      'PS256',
      'PS384',
      'PS512',
      'ES256',
      'ES384',
      'ES512',
      'EdDSA',
    ]);
  });

  it('refuses zero or several sources, and names where', () => {
    expect(() => createKeySource({}, ' in issuers[1]')).toThrow(/No key source in issuers\[1\]/);
    expect(() => createKeySource({ secret: SECRET, getKey: () => new Uint8Array() })).toThrow(
      /Only one key source/,
    );
  });

  it('refuses a bad jwksUri and discovery without a single issuer', () => {
    expect(() => createKeySource({ jwksUri: 'not a url' })).toThrow(
      /"jwksUri" must be an absolute URL/,
    );
    expect(() => createKeySource({ discovery: true })).toThrow(/exactly one "issuer"/);
    expect(() => createKeySource({ discovery: 'yes' as never, issuer: ISSUER })).toThrow(
      /"discovery"/,
    );
  });

  it('refuses jwks tuning for a source that is not remote', async () => {
    const { rsa } = await keyPairs();
    const jwks = { timeoutDuration: 1000 };
    expect(() => createKeySource({ secret: SECRET, jwks })).toThrow(
      /"jwks" only applies to "jwksUri" or "discovery", not "secret"/,
    );
    expect(() => createKeySource({ keys: rsa.jwk, jwks })).toThrow(/not "keys"/);
    expect(() =>
      createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        getKey: () => new Uint8Array(),
        algorithms: ['RS256'],
        jwks,
      }),
    ).toThrow(/not "getKey"/);
    expect(() =>
      createVerifier({ audience: AUDIENCE, issuers: [{ issuer: ISSUER, secret: SECRET, jwks }] }),
    ).toThrow(/"jwks" in issuers\[0\] only applies/);
    expect(() =>
      createVerifier({ audience: AUDIENCE, issuers: [{ issuer: ISSUER, secret: SECRET }], jwks }),
    ).toThrow(/no issuer uses "jwksUri" or "discovery"/);
    // The top-level default applies to the remote issuers only.
    expect(() =>
      createVerifier({
        audience: AUDIENCE,
        jwks,
        issuers: [
          { issuer: ISSUER, secret: SECRET },
          { issuer: 'https://b.example/', jwksUri: 'https://b.example/jwks' },
        ],
      }),
    ).not.toThrow();
  });

  it('requires algorithms with getKey and a function', () => {
    expect(() => createKeySource({ getKey: () => new Uint8Array() })).toThrow(
      /"algorithms" is required/,
    );
    expect(() => createKeySource({ getKey: 'x' as never, algorithms: ['RS256'] })).toThrow(
      /"getKey" must be a function/,
    );
  });
});

describe('getKey resolver', () => {
  it('receives the unverified header and claims and verifies with the returned key', async () => {
    const { ec } = await keyPairs();
    const getKey = vi.fn(async () => ec.publicKey);
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey,
      algorithms: ['ES256'],
    });
    await verifier.verify(await sign(claims(), ec.privateKey, 'ES256', { kid: 'k' }));
    expect(getKey).toHaveBeenCalledWith(
      expect.objectContaining({ kid: 'k' }),
      expect.objectContaining({ iss: ISSUER }),
    );
  });

  it('turns a resolver failure or a missing key into InvalidSignatureError', async () => {
    const { ec } = await keyPairs();
    const token = await sign(claims(), ec.privateKey, 'ES256');
    const failing = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: () => {
        throw new Error('lookup failed');
      },
      algorithms: ['ES256'],
    });
    await expect(failing.verify(token)).rejects.toBeInstanceOf(InvalidSignatureError);
    const empty = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: () => undefined as never,
      algorithms: ['ES256'],
    });
    await expect(empty.verify(token)).rejects.toBeInstanceOf(InvalidSignatureError);
    const unavailable = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: () => {
        throw new KeySetUnavailableError();
      },
      algorithms: ['ES256'],
    });
    await expect(unavailable.verify(token)).rejects.toBeInstanceOf(KeySetUnavailableError);
  });
});

describe('remote JWKS', () => {
  it('fetches only the configured URL, never a jku/x5u from the token', async () => {
    const { rsa } = await keyPairs();
    const jwks = { keys: [{ ...rsa.jwk, kid: 'r1', alg: 'RS256', use: 'sig' }] };
    const fetchSpy = vi.fn(async () => Response.json(jwks));
    vi.stubGlobal('fetch', fetchSpy);
    const verifier = createVerifier({
      jwksUri: 'https://id.example.com/jwks',
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { fetch: fetchSpy as never },
    });
    const evil = { jku: 'https://evil.example/jwks', x5u: 'https://evil.example/x5u', kid: 'r1' };
    const auth = await verifier.verify(await sign(claims(), rsa.privateKey, 'RS256', evil));
    expect(auth.claims.iss).toBe(ISSUER);
    const urls = fetchSpy.mock.calls.map((call) => String((call as unknown[])[0]));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => u.startsWith('https://id.example.com/jwks'))).toBe(true);
  });

  it('refuses a token from another issuer before fetching anything', async () => {
    const { rsa } = await keyPairs();
    const fetchSpy = vi.fn(async () => Response.json({ keys: [] }));
    vi.stubGlobal('fetch', fetchSpy);
    const verifier = createVerifier({
      jwksUri: 'https://id.example.com/jwks',
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { fetch: fetchSpy as never },
    });
    const token = await sign(claims({ iss: 'https://evil.example/' }), rsa.privateKey, 'RS256');
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidClaimError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
