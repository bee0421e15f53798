// The Web engine's signature step: Web Crypto for every key jose would accept, jose for the rest.
import { base64url, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError, UnsupportedAlgorithmError } from '../errors.js';
import { joseSignatureVerifier } from '../keys/signature.js';
import type { VerificationKey } from '../keys/types.js';
import {
  ALL,
  type Keys,
  makeKeys,
  prng,
  publicKeyFor,
  signedTokenFor,
  signJws,
} from '../test-support/differential.js';
import { createVerifier } from '../verifier.js';
import { WEB_ALGORITHMS, type WebAlgorithm } from './algorithms.js';
import { webKeyFor } from './keys.js';
import { webSignatureVerifier } from './signature.js';

let keys: Keys;
const publicFor = (alg: string) => publicKeyFor(keys, alg);
const tokenFor = (alg: string) => signedTokenFor(keys, alg);
const spec = (alg: string) => WEB_ALGORITHMS.get(alg) as WebAlgorithm;

beforeAll(async () => {
  keys = await makeKeys(prng(11));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('Web signature step', () => {
  it.each(ALL)('verifies %s with crypto.subtle.verify, never calling jose', async (alg) => {
    const jose = vi.spyOn(joseSignatureVerifier, 'verify');
    const subtle = vi.spyOn(crypto.subtle, 'verify');
    const token = await tokenFor(alg);
    const key = await publicFor(alg);
    await expect(webSignatureVerifier.verify(token, alg, key)).resolves.toBeUndefined();
    await expect(webSignatureVerifier.verify(token, alg, key)).resolves.toBeUndefined();
    expect(jose).not.toHaveBeenCalled();
    expect(subtle).toHaveBeenCalledTimes(2);
  });

  it('imports a shared secret once per algorithm and reuses the CryptoKey', async () => {
    const secret = prng(3).bytes(64);
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const first = await webKeyFor(secret, spec('HS256'));
    expect(first?.algorithm).toEqual({ name: 'HMAC', hash: { name: 'SHA-256' }, length: 512 });
    expect(webKeyFor(secret, spec('HS256'))).toBe(first);
    const other = await webKeyFor(secret, spec('HS512'));
    expect(other).not.toBe(first);
    expect(importKey).toHaveBeenCalledTimes(2);
  });

  it('refuses a bad signature with InvalidSignatureError, whatever its length', async () => {
    for (const alg of ['HS256', 'ES256', 'ES512', 'RS256', 'PS256', 'EdDSA']) {
      const token = await tokenFor(alg);
      const key = await publicFor(alg);
      const [h, p] = token.split('.');
      for (const sig of ['', 'AA', base64url.encode(new Uint8Array(600))])
        await expect(webSignatureVerifier.verify(`${h}.${p}.${sig}`, alg, key)).rejects.toThrow(
          InvalidSignatureError,
        );
    }
  });

  it('does not use a CryptoKey jose would refuse for the algorithm', async () => {
    const pss = await generateKeyPair('PS256');
    const es384 = await generateKeyPair('ES384');
    expect(webKeyFor(pss.publicKey, spec('RS256'))).toBeNull();
    expect(webKeyFor(pss.publicKey, spec('PS384'))).toBeNull();
    expect(webKeyFor(pss.privateKey, spec('PS256'))).toBeNull();
    expect(webKeyFor(es384.publicKey, spec('ES256'))).toBeNull();
    expect(webKeyFor(es384.publicKey, spec('ES384'))).toBe(es384.publicKey);
    const noVerify = await crypto.subtle.importKey(
      'jwk',
      await exportJWK(es384.publicKey),
      { name: 'ECDSA', namedCurve: 'P-384' },
      true,
      [],
    );
    expect(webKeyFor(noVerify, spec('ES384'))).toBeNull();
    expect(webKeyFor(new Uint8Array(32), spec('RS256'))).toBeNull();
    expect(await webKeyFor(new Uint8Array(0), spec('HS256'))).toBeNull();
    expect(webKeyFor((await exportJWK(es384.publicKey)) as VerificationKey, spec('ES384'))).toBe(
      null,
    );
  });

  it('refuses an RSA key below 2048 bits as jose does', async () => {
    const small = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    expect(webKeyFor(small.publicKey, spec('RS256'))).toBeNull();
    const input = `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('{"sub":"x"}')}`;
    const signature = await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      small.privateKey,
      new TextEncoder().encode(input),
    );
    const token = `${input}.${base64url.encode(new Uint8Array(signature))}`;
    const jose = vi.spyOn(joseSignatureVerifier, 'verify');
    await expect(webSignatureVerifier.verify(token, 'RS256', small.publicKey)).rejects.toThrow(
      TypeError,
    );
    expect(jose).toHaveBeenCalledOnce();
    const verifier = createVerifier({
      issuer: false,
      audience: false,
      getKey: () => small.publicKey,
      algorithms: ['RS256'],
    });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
  });

  it('runs the default entry on it: a secret verifies without jose after its first import', async () => {
    const token = await signJws(
      { alg: 'HS256' },
      { sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 },
      keys.secret2,
    );
    const verifier = createVerifier({ secret: keys.secret2, issuer: false, audience: false });
    const jose = vi.spyOn(joseSignatureVerifier, 'verify');
    for (let i = 0; i < 3; i++) expect((await verifier.verify(token)).claims.sub).toBe('x');
    expect(jose).not.toHaveBeenCalled();
  });
});
