import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestIssuer, type TestIssuer } from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(() => issuer.close());
afterEach(() => {
  vi.useRealTimers();
  issuer.setJwksResponse(undefined);
});

const verifyLocal = (token: string) =>
  jwtVerify(token, createLocalJWKSet(issuer.jwks()), {
    issuer: issuer.issuer,
    audience: 'tokengate-test',
  });

describe('createTestIssuer', () => {
  it('serves on 127.0.0.1 and uses its URL as the issuer', () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.issuer).toBe(issuer.url);
    expect(issuer.jwksUri).toBe(`${issuer.url}/.well-known/jwks.json`);
  });

  it('mints an RS256 token with default claims that verifies against the served JWKS', async () => {
    const token = await issuer.mint({ scope: 'read:things' });
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(issuer.jwksUri)),
      { issuer: issuer.url, audience: 'tokengate-test', algorithms: ['RS256'] },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: 'rs256-1' });
    expect(payload).toMatchObject({ iss: issuer.url, sub: 'test-user', scope: 'read:things' });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(typeof payload.jti).toBe('string');
  });

  it.each([
    'ES256',
    'EdDSA',
  ] as const)('mints a %s token with its own published key', async (alg) => {
    const token = await issuer.mint({}, { alg });
    const { protectedHeader } = await verifyLocal(token);
    expect(protectedHeader.alg).toBe(alg);
    expect(protectedHeader.kid).toBe(issuer.currentKey(alg).kid);
  });

  it('mints HS256 tokens with the shared secret and no kid', async () => {
    const token = await issuer.mint({}, { alg: 'HS256' });
    expect(decodeProtectedHeader(token).kid).toBeUndefined();
    const secret = new TextEncoder().encode(issuer.secret);
    await expect(jwtVerify(token, secret)).resolves.toBeTruthy();
  });

  it('mints expired tokens relative to the frozen clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const token = await issuer.mint({}, { expiresIn: '-1m' });
    const now = Date.UTC(2030, 0, 1) / 1000;
    expect(decodeJwt(token)).toMatchObject({ iat: now, exp: now - 60 });
    await expect(verifyLocal(token)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('sets nbf and iat relative to now', async () => {
    const token = await issuer.mint({}, { notBefore: '5m', issuedAt: -30 });
    const claims = decodeJwt(token);
    expect(claims.nbf! - claims.iat!).toBe(330);
    await expect(verifyLocal(token)).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  });

  it('lets claims override defaults and drops claims set to undefined', async () => {
    const token = await issuer.mint({ sub: 'alice', aud: ['a', 'b'], exp: undefined, org: 'acme' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'alice', aud: ['a', 'b'], org: 'acme' });
    expect('exp' in claims).toBe(false);
  });

  it('mints bad claim types on request (a string exp)', async () => {
    const token = await issuer.mint({ exp: 'tomorrow' as unknown as number });
    expect(decodeJwt(token).exp).toBe('tomorrow');
  });

  it('applies header overrides, including removing kid and an unknown crit extension', async () => {
    const token = await issuer.mint(
      {},
      { header: { kid: undefined, typ: 'at+jwt', crit: ['x-tg'], 'x-tg': true } },
    );
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', crit: ['x-tg'], 'x-tg': true });
    await expect(verifyLocal(token)).rejects.toBeInstanceOf(errors.JOSENotSupported);
  });

  it('signs with a stranger key under the current kid: the signature does not verify', async () => {
    const token = await issuer.mint({}, { key: 'stranger' });
    expect(decodeProtectedHeader(token).kid).toBe('rs256-1');
    await expect(verifyLocal(token)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('signs with an unpublished key and kid: no key matches', async () => {
    const token = await issuer.mint({}, { key: 'unknown', alg: 'ES256' });
    expect(decodeProtectedHeader(token).kid).toBe('unknown-es256');
    await expect(verifyLocal(token)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it('signs HS256 with any secret given as bytes', async () => {
    const pem = new TextEncoder().encode('-----BEGIN PUBLIC KEY-----');
    const token = await issuer.mint({}, { alg: 'HS256', key: pem });
    await expect(jwtVerify(token, pem)).resolves.toBeTruthy();
  });

  it('mints alg none tokens that jose refuses', async () => {
    const token = issuer.mintUnsecured({ sub: 'admin' });
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(token.endsWith('.')).toBe(true);
    await expect(verifyLocal(token)).rejects.toBeInstanceOf(errors.JOSENotSupported);
  });

  it('serves OIDC discovery pointing at its JWKS', async () => {
    const res = await fetch(issuer.discoveryUri);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      issuer: issuer.url,
      jwks_uri: issuer.jwksUri,
      id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'],
    });
  });

  it('counts JWKS requests and records every request', async () => {
    issuer.resetRequests();
    await fetch(issuer.jwksUri);
    await fetch(issuer.jwksUri);
    const missing = await fetch(`${issuer.url}/nope`);
    expect(missing.status).toBe(404);
    expect(issuer.jwksRequests).toBe(2);
    expect(issuer.requests.map((r) => r.path)).toEqual([
      '/.well-known/jwks.json',
      '/.well-known/jwks.json',
      '/nope',
    ]);
  });

  it('answers the JWKS with an override status and body until restored', async () => {
    issuer.setJwksResponse({ status: 503, body: 'down', headers: { 'retry-after': '5' } });
    const down = await fetch(issuer.jwksUri);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.text()).toBe('down');
    issuer.setJwksResponse(undefined);
    const up = await fetch(issuer.jwksUri);
    expect((await up.json()).keys).toHaveLength(3);
  });

  it('refuses methods other than GET', async () => {
    const res = await fetch(issuer.jwksUri, { method: 'POST' });
    expect(res.status).toBe(405);
  });
});

describe('the test issuer options', () => {
  it('takes audience, subject, lifetime, algorithm and issuer', async () => {
    const custom = await createTestIssuer({
      audience: 'api',
      subject: 'svc',
      expiresIn: 60,
      algorithm: 'ES256',
      algorithms: ['ES256'],
      issuer: 'https://id.example.test/',
    });
    try {
      const token = await custom.mint();
      expect(decodeProtectedHeader(token).alg).toBe('ES256');
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ aud: 'api', sub: 'svc', iss: 'https://id.example.test/' });
      expect(claims.exp! - claims.iat!).toBe(60);
      expect(custom.jwks().keys).toHaveLength(1);
      expect(custom.verifierOptions('discovery')).toEqual({
        issuer: 'https://id.example.test/',
        audience: 'api',
        discovery: true,
        algorithms: ['ES256'],
      });
      expect(() => custom.currentKey('RS256')).toThrow(/No RS256 key/);
    } finally {
      await custom.close();
    }
  });

  it('refuses an empty algorithm list and closes its server', async () => {
    await expect(createTestIssuer({ algorithms: [] })).rejects.toThrow(TypeError);
  });

  it('gives verifier options for the JWKS and for the shared secret', async () => {
    expect(issuer.verifierOptions()).toEqual({
      issuer: issuer.url,
      audience: 'tokengate-test',
      jwksUri: issuer.jwksUri,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
    });
    expect(issuer.verifierOptions('secret')).toEqual({
      issuer: issuer.url,
      audience: 'tokengate-test',
      secret: issuer.secret,
      algorithms: ['HS256'],
    });
  });

  it('stops answering after close, and close is idempotent', async () => {
    const short = await createTestIssuer({ algorithms: ['ES256'] });
    await short.close();
    await short.close();
    await expect(fetch(short.jwksUri)).rejects.toThrow();
  });
});
