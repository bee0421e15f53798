import { createPublicKey } from 'node:crypto';
import { exportJWK, generateKeyPair, importPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidSignatureError } from '../errors.js';
import { AUDIENCE, claims, ISSUER, keyPairs, sign } from '../test-support/tokens.js';
import { CERT_KEY_PEM, CERT_PEM } from '../test-support/x509.js';
import { createStaticKeySource } from './static.js';

describe('createStaticKeySource', () => {
  it('derives the allow-list from the key types', async () => {
    const { rsa, ec, ed } = await keyPairs();
    expect(createStaticKeySource({ keys: ec.jwk }).algorithms).toEqual(['ES256']);
    expect(createStaticKeySource({ keys: ed.publicKey }).algorithms).toEqual(['EdDSA']);
    expect(createStaticKeySource({ keys: rsa.publicKey }).algorithms).toEqual(['RS256']);
    expect(createStaticKeySource({ keys: rsa.jwk }).algorithms).toEqual([
      'RS256',
      'RS384',
      'RS512',
      'PS256',
      'PS384',
      'PS512',
    ]);
    expect(createStaticKeySource({ keys: rsa.pem }).algorithms).not.toContain('HS256');
  });

  it('derives algorithms from Node KeyObjects', async () => {
    const { rsa, ec, ed } = await keyPairs();
    const ko = (pem: string) => createPublicKey(pem);
    expect(createStaticKeySource({ keys: ko(ec.pem) }).algorithms).toEqual(['ES256']);
    expect(createStaticKeySource({ keys: ko(ed.pem) }).algorithms).toEqual(['EdDSA']);
    expect(createStaticKeySource({ keys: ko(rsa.pem) }).algorithms).toContain('PS256');
  });

  it('verifies with a KeyObject through the verifier path', async () => {
    const { ec } = await keyPairs();
    const source = createStaticKeySource({ keys: createPublicKey(ec.pem) });
    const keys = await source.getKey({ alg: 'ES256' }, {});
    expect(Array.isArray(keys) ? keys.length : 1).toBe(1);
  });

  it('refuses algorithms none of the keys can verify, and HMAC with public keys', async () => {
    const { ec, rsa } = await keyPairs();
    expect(() => createStaticKeySource({ keys: ec.jwk, algorithms: ['RS256'] })).toThrow(
      /none of the "keys"/,
    );
    expect(() => createStaticKeySource({ keys: rsa.pem, algorithms: ['HS256'] })).toThrow(
      /needs a "secret"/,
    );
  });

  it('refuses private keys, secrets, encryption keys and junk', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const bad: unknown[] = [
      privateJwk,
      privateKey,
      { kty: 'oct', k: 'AAAA' },
      { ...(await keyPairs()).ec.jwk, use: 'enc' },
      { ...(await keyPairs()).ec.jwk, key_ops: ['encrypt'] },
      { kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' },
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      '-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----',
      'not a pem',
      42,
      new Uint8Array(32),
      { foo: 1 },
      { keys: [{ ...(await keyPairs()).ec.jwk, use: 'enc' }] },
      { type: 'secret' },
      { type: 'public', asymmetricKeyType: 'x25519' },
    ];
    for (const keys of bad)
      expect(() => createStaticKeySource({ keys: keys as never }), String(keys)).toThrow(TypeError);
    expect(() => createStaticKeySource({ keys: [] })).toThrow(TypeError);
  });

  it('picks keys from an inline JWK Set by kid, and skips encryption keys', async () => {
    const { rsa, ec } = await keyPairs();
    const set = {
      keys: [
        { ...rsa.jwk, kid: 'r1' },
        { ...ec.jwk, kid: 'e1' },
        { ...ec.jwk, kid: 'enc', use: 'enc' },
      ],
    };
    const source = createStaticKeySource({ keys: set });
    expect(await source.getKey({ alg: 'ES256', kid: 'e1' }, {})).toHaveLength(1);
    await expect(source.getKey({ alg: 'ES256', kid: 'enc' }, {})).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
    await expect(source.getKey({ alg: 'ES256', kid: 'r1' }, {})).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
  });

  it('tries every key of a set when several match a token without kid', async () => {
    const other = await generateKeyPair('ES256', { extractable: true });
    const { ec } = await keyPairs();
    const source = createStaticKeySource({
      keys: { keys: [await exportJWK(other.publicKey), ec.jwk] },
    });
    expect(await source.getKey({ alg: 'ES256' }, {})).toHaveLength(2);
  });

  it('prefers the key whose kid matches and falls back to keys without one', async () => {
    const { rsa, ec } = await keyPairs();
    const source = createStaticKeySource({ keys: [{ ...ec.jwk, kid: 'a' }, ec.pem, rsa.pem] });
    expect(await source.getKey({ alg: 'ES256', kid: 'a' }, {})).toHaveLength(1);
    expect(await source.getKey({ alg: 'ES256', kid: 'zzz' }, {})).toHaveLength(1);
    expect(await source.getKey({ alg: 'ES256' }, {})).toHaveLength(2);
  });

  it('finds no key for an algorithm the PEM key does not fit', async () => {
    const { ec } = await keyPairs();
    const source = createStaticKeySource({ keys: ec.pem });
    await expect(source.getKey({ alg: 'RS256' }, {})).rejects.toBeInstanceOf(InvalidSignatureError);
  });

  it('verifies a token signed by the key of an X.509 certificate', async () => {
    const source = createStaticKeySource({ keys: CERT_PEM });
    const [key] = (await source.getKey({ alg: 'ES256' }, {})) as unknown[];
    const { compactVerify } = await import('jose');
    const token = await sign(claims(), await importPKCS8(CERT_KEY_PEM, 'ES256'), 'ES256');
    await expect(compactVerify(token, key as CryptoKey)).resolves.toBeTruthy();
    await expect(source.getKey({ alg: 'RS256' }, {})).rejects.toBeInstanceOf(InvalidSignatureError);
  });

  it('verifies a token signed by the key a JWK describes', async () => {
    const { createVerifier } = await import('../verifier.js');
    const { ec } = await keyPairs();
    const token = await sign(
      { ...claims(), exp: Math.floor(Date.now() / 1000) + 60, iat: undefined },
      ec.privateKey,
      'ES256',
    );
    await expect(
      createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [ec.jwk] } }).verify(
        token,
      ),
    ).resolves.toBeTruthy();
  });
});
