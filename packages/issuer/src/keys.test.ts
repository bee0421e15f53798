import { generateKeyPairSync } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, importSigningKey, SIGNING_ALGORITHMS } from './keys.js';
import { sign } from './sign.js';
import { ASYMMETRIC, keyFor, PRIVATE_MEMBERS } from './test-support/keys.js';

describe('generateSigningKey', () => {
  it.each(
    SIGNING_ALGORITHMS,
  )('generates a %s key whose kid is the RFC 7638 thumbprint', async (alg) => {
    const key = await keyFor(alg);
    expect(key.alg).toBe(alg);
    expect(key.privateKey).toBeDefined();
    if (alg.startsWith('HS')) {
      expect(key.publicJwk).toBeUndefined();
      expect(key.kid).toBe(await calculateJwkThumbprint(await exportJWK(key.privateKey!)));
      expect((key.privateKey as Uint8Array).byteLength).toBe(Number(alg.slice(2)) / 8);
    } else {
      const { kid: _kid, alg: _alg, use, ...jwk } = key.publicJwk!;
      expect(use).toBe('sig');
      expect(key.kid).toBe(await calculateJwkThumbprint(jwk));
    }
  });

  it('keeps the private key out of enumeration and JSON', async () => {
    const key = await keyFor('HS256');
    expect(Object.keys(key)).not.toContain('privateKey');
    expect(JSON.stringify(key)).not.toContain('privateKey');
  });

  it('keeps an asymmetric private key non-extractable', async () => {
    const key = await keyFor('ES256');
    expect((key.privateKey as CryptoKey).extractable).toBe(false);
  });

  it('uses a kid that is given', async () => {
    expect((await generateSigningKey('ES256', { kid: 'k-2025' })).kid).toBe('k-2025');
  });

  it('refuses an unknown algorithm and an empty kid with a TypeError', async () => {
    await expect(generateSigningKey('none' as never)).rejects.toThrow(TypeError);
    await expect(generateSigningKey('RSA-OAEP' as never)).rejects.toThrow(
      /Unsupported signing algorithm/,
    );
    await expect(generateSigningKey('ES256', { kid: '' })).rejects.toThrow(TypeError);
  });
});

describe('importSigningKey', () => {
  it.each(
    ASYMMETRIC,
  )('imports a %s PKCS#8 PEM that signs, and its SPKI PEM for verification', async (alg) => {
    const pair = await generateKeyPair(alg, { extractable: true });
    const key = await importSigningKey(await exportPKCS8(pair.privateKey), alg);
    const pub = await importSigningKey(await exportSPKI(pair.publicKey), alg);
    expect(pub.kid).toBe(key.kid);
    expect(pub.privateKey).toBeUndefined();
    expect(pub.publicJwk).toEqual(key.publicJwk);
    const token = await sign({}, { key, expiresIn: 60 });
    await expect(jwtVerify(token, pair.publicKey)).resolves.toBeDefined();
  });

  it.each(ASYMMETRIC)('imports a %s private JWK, keeping its kid', async (alg) => {
    const pair = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(pair.privateKey)), kid: 'from-jwk' };
    const key = await importSigningKey(jwk, alg);
    expect(key.kid).toBe('from-jwk');
    const token = await sign({}, { key, expiresIn: 60 });
    const { protectedHeader } = await jwtVerify(token, pair.publicKey);
    expect(protectedHeader).toMatchObject({ alg, kid: 'from-jwk' });
  });

  it.each(
    ASYMMETRIC,
  )('refuses a private %s JWK whose public members belong to another key', async (alg) => {
    const mine = await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey);
    const other = await exportJWK((await generateKeyPair(alg, { extractable: true })).publicKey);
    const mixed = { ...mine, n: other.n, e: other.e, x: other.x, y: other.y };
    for (const name of ['n', 'e', 'x', 'y'] as const)
      if (mixed[name] === undefined) delete mixed[name];
    const error = await importSigningKey(mixed, alg).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/could not be imported for|do not belong together/);
    expect(JSON.stringify(error)).not.toContain(mine.d);
  });

  it('imports an HS256 secret as a string, bytes or an oct JWK with the same kid', async () => {
    const secret = 'a-shared-secret-that-is-32-bytes!';
    const bytes = new TextEncoder().encode(secret);
    const fromString = await importSigningKey(secret, 'HS256');
    const fromBytes = await importSigningKey(bytes, 'HS256');
    const fromJwk = await importSigningKey(await exportJWK(bytes), 'HS256');
    expect(fromBytes.kid).toBe(fromString.kid);
    expect(fromJwk.kid).toBe(fromString.kid);
    const token = await sign({}, { key: fromString, expiresIn: 60 });
    await expect(jwtVerify(token, bytes)).resolves.toBeDefined();
  });

  it('refuses an HMAC secret shorter than the hash output (RFC 7518 §3.2)', async () => {
    await expect(importSigningKey('short', 'HS256')).rejects.toThrow(/at least 32 bytes/);
    await expect(importSigningKey(new Uint8Array(47), 'HS384')).rejects.toThrow(
      /at least 48 bytes/,
    );
  });

  it('refuses an RSA key under 2048 bits', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(importSigningKey(pem, 'RS256')).rejects.toThrow(/2048 bits/);
  });

  it('refuses a key that does not fit the algorithm with a TypeError', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const pem = await exportPKCS8(ec.privateKey);
    await expect(importSigningKey(pem, 'RS256')).rejects.toThrow(/could not be imported for RS256/);
    await expect(importSigningKey(pem, 'ES384')).rejects.toThrow(TypeError);
    await expect(importSigningKey(pem, 'HS256')).rejects.toThrow(/PEM key does not fit HS256/);
    await expect(importSigningKey(new Uint8Array(32), 'ES256')).rejects.toThrow(/only fit HS/);
    await expect(importSigningKey('not a pem', 'ES256')).rejects.toThrow(/Expected a PEM key/);
    const jwk = { ...(await exportJWK(ec.privateKey)), alg: 'ES256' };
    await expect(importSigningKey(jwk, 'ES384')).rejects.toThrow(/is for ES256/);
    await expect(importSigningKey({ kty: 'oct', k: 'AAAA' }, 'ES256')).rejects.toThrow(TypeError);
    const encJwk = { ...(await exportJWK(ec.privateKey)), use: 'enc' };
    await expect(importSigningKey(encJwk, 'ES256')).rejects.toThrow(/use "enc"/);
    await expect(importSigningKey(await exportJWK(ec.publicKey), 'HS256')).rejects.toThrow(
      /"oct" JWK/,
    );
  });

  it('refuses PKCS#1 / SEC1 PEM and garbage PEM with a TypeError that carries no key material', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const error = await importSigningKey(sec1, 'ES256').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/openssl pkcs8/);
    expect((error as Error).message).not.toContain('BEGIN');
    const garbage = '-----BEGIN PRIVATE KEY-----\nnot-base64\n-----END PRIVATE KEY-----';
    await expect(importSigningKey(garbage, 'ES256')).rejects.toThrow(/could not be imported/);
  });

  it('refuses input that is not a key at all', async () => {
    await expect(importSigningKey(null as never, 'ES256')).rejects.toThrow(TypeError);
    await expect(importSigningKey(42 as never, 'ES256')).rejects.toThrow(TypeError);
    await expect(importSigningKey([] as never, 'ES256')).rejects.toThrow(TypeError);
  });

  it('has no private member in any published JWK', async () => {
    for (const alg of ASYMMETRIC) {
      const jwk = (await keyFor(alg)).publicJwk!;
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    }
  });
});
