import {
  base64url,
  compactDecrypt,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  jwtVerify,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { encrypt, type KeyManagementAlgorithm } from './encrypt.js';
import type { IssuerKey } from './keys.js';
import { sign } from './sign.js';
import { keyFor } from './test-support/keys.js';

async function signed() {
  const key = await keyFor('ES256');
  return { key, jws: await sign({ sub: 'user-1' }, { key, expiresIn: '15m' }) };
}

const ASYMMETRIC: [KeyManagementAlgorithm, { crv?: string }][] = [
  ['RSA-OAEP-256', {}],
  ['ECDH-ES', {}],
  ['ECDH-ES+A256KW', {}],
  ['ECDH-ES', { crv: 'X25519' }],
  ['ECDH-ES+A256KW', { crv: 'X25519' }],
];

describe('encrypt', () => {
  it.each(
    ASYMMETRIC,
  )('makes a nested JWT with %s %o that decrypts to the signed token', async (alg, opts) => {
    const { key, jws } = await signed();
    const recipient = await generateKeyPair(alg, { ...opts, extractable: true });
    const publicJwk = { ...(await exportJWK(recipient.publicKey)), kid: 'api-enc-1' };
    const jwe = await encrypt(jws, { key: publicJwk, alg });
    expect(jwe.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(jwe)).toMatchObject({
      alg,
      enc: 'A256GCM',
      cty: 'JWT',
      kid: 'api-enc-1',
    });
    const { plaintext } = await compactDecrypt(jwe, recipient.privateKey);
    const inner = new TextDecoder().decode(plaintext);
    expect(inner).toBe(jws);
    const { payload } = await jwtVerify(inner, await publicKeyOf(key));
    expect(payload.sub).toBe('user-1');
  });

  it('encrypts with dir and a 32-byte shared key', async () => {
    const { jws } = await signed();
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const jwe = await encrypt(jws, { key: secret, alg: 'dir' });
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' });
    const { plaintext } = await compactDecrypt(jwe, secret);
    expect(new TextDecoder().decode(plaintext)).toBe(jws);
  });

  it('encrypts to a PEM SPKI or a CryptoKey, with an explicit kid', async () => {
    const { jws } = await signed();
    const recipient = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const fromPem = await encrypt(jws, {
      key: await exportSPKI(recipient.publicKey),
      alg: 'RSA-OAEP-256',
      kid: 'k1',
    });
    const fromKey = await encrypt(jws, { key: recipient.publicKey, alg: 'RSA-OAEP-256' });
    expect(decodeProtectedHeader(fromPem).kid).toBe('k1');
    await expect(compactDecrypt(fromPem, recipient.privateKey)).resolves.toBeDefined();
    await expect(compactDecrypt(fromKey, recipient.privateKey)).resolves.toBeDefined();
  });

  it('encrypts through sign({ encryptTo }) so the claims are hidden from everyone else', async () => {
    const key = await keyFor('ES256');
    const recipient = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    const jwe = await sign(
      { sub: 'user-1', secret: 'sensitive' },
      {
        key,
        expiresIn: 60,
        encryptTo: { key: await exportJWK(recipient.publicKey), alg: 'ECDH-ES+A256KW' },
      },
    );
    for (const segment of jwe.split('.')) {
      expect(new TextDecoder().decode(base64url.decode(segment))).not.toContain('sensitive');
    }
    const { plaintext } = await compactDecrypt(jwe, recipient.privateKey);
    const { payload } = await jwtVerify(
      new TextDecoder().decode(plaintext),
      await publicKeyOf(key),
    );
    expect(payload.secret).toBe('sensitive');
  });

  it('refuses to encrypt anything but a signed compact JWT', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const opts = { key, alg: 'dir' } as const;
    await expect(encrypt('a.b', opts)).rejects.toThrow(/signed compact JWT/);
    await expect(encrypt('!!!.b.c', opts)).rejects.toThrow(/signed compact JWT/);
    await expect(encrypt(42 as never, opts)).rejects.toThrow(TypeError);
    const unsecured = `${btoa('{"alg":"none"}').replace(/=/g, '')}.e30.`;
    await expect(encrypt(unsecured, opts)).rejects.toThrow(/unsigned/);
  });

  it('refuses unsupported algorithms and unfit keys with a TypeError', async () => {
    const { jws } = await signed();
    const rsa = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const rsaJwk = await exportJWK(rsa.publicKey);
    await expect(encrypt(jws, { key: rsaJwk, alg: 'RSA1_5' as never })).rejects.toThrow(
      /"alg" must be/,
    );
    await expect(encrypt(jws, undefined as never)).rejects.toThrow(TypeError);
    await expect(
      encrypt(jws, { key: rsaJwk, alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256' as never }),
    ).rejects.toThrow(/"enc"/);
    await expect(encrypt(jws, { key: new Uint8Array(16), alg: 'dir' })).rejects.toThrow(/32-byte/);
    await expect(encrypt(jws, { key: rsaJwk, alg: 'dir' })).rejects.toThrow(/32-byte/);
    await expect(encrypt(jws, { key: new Uint8Array(32), alg: 'ECDH-ES' })).rejects.toThrow(
      /public key/,
    );
    await expect(encrypt(jws, { key: rsaJwk, alg: 'ECDH-ES' })).rejects.toThrow(
      /could not be encrypted with ECDH-ES/,
    );
    await expect(encrypt(jws, { key: 'not a pem', alg: 'RSA-OAEP-256' })).rejects.toThrow(
      TypeError,
    );
    const privateJwk = await exportJWK(rsa.privateKey);
    await expect(encrypt(jws, { key: privateJwk, alg: 'RSA-OAEP-256' })).rejects.toThrow(
      /not a private JWK/,
    );
  });
});

function publicKeyOf(key: IssuerKey) {
  return importJWK(key.publicJwk!, key.alg);
}
