// Round trips through @tokengate/core's verifier: what an API protected by tokengate sees.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, type VerifierOptions } from '@tokengate/core';
import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyRing, type KeyRing } from './key-ring.js';
import { generateSigningKey, SIGNING_ALGORITHMS } from './keys.js';
import { sign } from './sign.js';
import { ASYMMETRIC, keyFor } from './test-support/keys.js';
import { createTokenIssuer } from './token-issuer.js';

const ISSUER = 'https://id.example';
const policy = { issuer: ISSUER, audience: 'api', typ: 'rfc9068' } as const;

// `client_id` completes the claims RFC 9068 §2.2 requires, which `typ: 'rfc9068'` checks.
const claimsOf = (ring: KeyRing, extra: Partial<Parameters<typeof sign>[1]> = {}) =>
  sign(
    { scope: 'read:things', client_id: 'app' },
    { key: ring, expiresIn: '15m', issuer: ISSUER, audience: 'api', subject: 'u1', ...extra },
  );

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serve the ring's JWK Set on 127.0.0.1 the way an issuer app would. */
async function serveJwks(ring: KeyRing): Promise<string> {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(ring.jwks()));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/.well-known/jwks.json`;
}

describe('core verifier round trips', () => {
  it.each(ASYMMETRIC)('core verifies a %s token with keys: ring.jwks()', async (alg) => {
    const ring = createKeyRing(await keyFor(alg));
    const verifier = createVerifier({ ...policy, keys: ring.jwks(), algorithms: [alg] });
    const auth = await verifier.verify(await claimsOf(ring));
    expect(auth.header).toMatchObject({ alg, kid: ring.current.kid, typ: 'at+jwt' });
    expect(auth.claims).toMatchObject({ sub: 'u1', iss: ISSUER });
    expect([...auth.scopes]).toEqual(['read:things']);
  });

  it.each(
    SIGNING_ALGORITHMS.filter((a) => a.startsWith('HS')),
  )('core verifies a %s token with the shared secret', async (alg) => {
    const key = await keyFor(alg);
    const verifier = createVerifier({
      ...policy,
      secret: key.privateKey as Uint8Array,
      algorithms: [alg],
    });
    const auth = await verifier.verify(await claimsOf(createKeyRing(key)));
    expect(auth.header.alg).toBe(alg);
  });

  it('core keeps verifying old tokens through the published JWKS until the key is retired', async () => {
    const ring = createKeyRing(await generateSigningKey('ES256'));
    const old = await claimsOf(ring);
    const oldKid = ring.current.kid;
    ring.rotate(await generateSigningKey('ES256'));
    const fresh = await claimsOf(ring);
    const before = createVerifier({ ...policy, keys: ring.jwks(), algorithms: ['ES256'] });
    await expect(before.verify(old)).resolves.toBeDefined();
    await expect(before.verify(fresh)).resolves.toBeDefined();
    ring.retire(oldKid);
    const after = createVerifier({ ...policy, keys: ring.jwks(), algorithms: ['ES256'] });
    await expect(after.verify(old)).rejects.toMatchObject({
      code: 'ERR_SIGNATURE_INVALID',
      status: 401,
    });
    await expect(after.verify(fresh)).resolves.toBeDefined();
  });

  it('core picks up a rotated key from a JWKS served on loopback', async () => {
    const ring = createKeyRing(await generateSigningKey('EdDSA'));
    const jwksUri = await serveJwks(ring);
    const verifier = createVerifier({ ...policy, jwksUri, algorithms: ['EdDSA'] });
    const old = await claimsOf(ring);
    await expect(verifier.verify(old)).resolves.toBeDefined();
    ring.rotate(await generateSigningKey('EdDSA'));
    await expect(verifier.verify(await claimsOf(ring))).resolves.toBeDefined();
    await expect(verifier.verify(old)).resolves.toBeDefined();
  });

  it('core verifies the access tokens of createTokenIssuer, and refreshed ones', async () => {
    const ring = createKeyRing(await keyFor('PS256'));
    const tokens = createTokenIssuer({ issuer: ISSUER, audience: 'api', keys: ring });
    const verifier = createVerifier({ ...policy, keys: tokens.jwks(), algorithms: ['PS256'] });
    const pair = await tokens.issueTokens('u1', { scope: 'a b', client_id: 'app' });
    expect((await verifier.verify(pair.access_token)).claims.sub).toBe('u1');
    const next = await tokens.refresh(pair.refresh_token);
    expect([...(await verifier.verify(next.access_token)).scopes]).toEqual(['a', 'b']);
  });
});

describe('core verifier and nested JWE', () => {
  const cases: [
    NonNullable<Parameters<typeof generateKeyPair>[0]>,
    'RSA-OAEP-256' | 'ECDH-ES' | 'ECDH-ES+A256KW',
  ][] = [
    ['RSA-OAEP-256', 'RSA-OAEP-256'],
    ['ECDH-ES', 'ECDH-ES'],
    ['ECDH-ES+A256KW', 'ECDH-ES+A256KW'],
  ];

  async function recipient(alg: string) {
    const pair = await generateKeyPair(alg, { extractable: true });
    const kid = `enc-${alg}`;
    return {
      publicJwk: { ...(await exportJWK(pair.publicKey)), kid },
      privateJwk: { ...(await exportJWK(pair.privateKey)), kid },
    };
  }

  it.each(cases)('core decrypts and verifies a token encrypted with %s', async (genAlg, alg) => {
    const ring = createKeyRing(await keyFor('ES256'));
    const { publicJwk, privateJwk } = await recipient(genAlg);
    const jwe = await claimsOf(ring, { encryptTo: { key: publicJwk, alg } });
    const options: VerifierOptions = { ...policy, keys: ring.jwks(), algorithms: ['ES256'] };
    const auth = await createVerifier({ ...options, decryption: { keys: privateJwk } }).verify(jwe);
    expect(auth.claims.sub).toBe('u1');
    expect(auth.token.split('.')).toHaveLength(3);
  });

  it('core decrypts a dir token with the shared key', async () => {
    const ring = createKeyRing(await keyFor('EdDSA'));
    const shared = crypto.getRandomValues(new Uint8Array(32));
    const jwe = await claimsOf(ring, { encryptTo: { key: shared, alg: 'dir' } });
    const verifier = createVerifier({
      ...policy,
      keys: ring.jwks(),
      algorithms: ['EdDSA'],
      decryption: { keys: shared },
    });
    await expect(verifier.verify(jwe)).resolves.toMatchObject({ claims: { sub: 'u1' } });
  });

  it('core refuses an encrypted token without decryption keys, or with the wrong key', async () => {
    const ring = createKeyRing(await keyFor('ES256'));
    const { publicJwk } = await recipient('ECDH-ES+A256KW');
    const other = await recipient('ECDH-ES+A256KW');
    const jwe = await claimsOf(ring, { encryptTo: { key: publicJwk, alg: 'ECDH-ES+A256KW' } });
    const options: VerifierOptions = { ...policy, keys: ring.jwks(), algorithms: ['ES256'] };
    await expect(createVerifier(options).verify(jwe)).rejects.toMatchObject({
      code: 'ERR_TOKEN_MALFORMED',
      status: 401,
      bearerError: 'invalid_token',
    });
    const wrong = createVerifier({
      ...options,
      decryption: { keys: { ...other.privateJwk, kid: undefined } },
    });
    await expect(wrong.verify(jwe)).rejects.toMatchObject({
      code: 'ERR_SIGNATURE_INVALID',
      status: 401,
      bearerError: 'invalid_token',
    });
  });

  it('core refuses a token signed by a key outside the JWKS even when it decrypts', async () => {
    const ring = createKeyRing(await generateSigningKey('ES256'));
    const stranger = createKeyRing(await generateSigningKey('ES256'));
    const { publicJwk, privateJwk } = await recipient('ECDH-ES');
    const jwe = await claimsOf(stranger, { encryptTo: { key: publicJwk, alg: 'ECDH-ES' } });
    const verifier = createVerifier({
      ...policy,
      keys: ring.jwks(),
      algorithms: ['ES256'],
      decryption: { keys: privateJwk },
    });
    await expect(verifier.verify(jwe)).rejects.toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
  });
});
