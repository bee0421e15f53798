import { CompactEncrypt, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError, MalformedTokenError, UnsupportedAlgorithmError } from './errors.js';
import {
  createDecryptor,
  DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS,
  DEFAULT_KEY_MANAGEMENT_ALGORITHMS,
} from './jwe.js';
import { AUDIENCE, hs256, ISSUER, NOW, SECRET } from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

const HS = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };

const enc = new TextEncoder();
let rsa: CryptoKeyPair;
let ec: CryptoKeyPair;

async function encrypt(
  plaintext: string,
  key: CryptoKey | Uint8Array,
  header: Record<string, unknown> = { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' },
) {
  return new CompactEncrypt(enc.encode(plaintext)).setProtectedHeader(header as never).encrypt(key);
}

beforeAll(async () => {
  rsa = await generateKeyPair('RSA-OAEP-256', { extractable: true });
  ec = await generateKeyPair('ECDH-ES', { extractable: true });
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => vi.useRealTimers());

describe('nested JWT (JWE around a JWS)', () => {
  it('decrypts with RSA-OAEP-256 and verifies the inner token with the normal policy', async () => {
    const inner = await hs256({ scope: 'read' });
    const verifier = createVerifier({ ...HS, decryption: { keys: rsa.privateKey } });
    const auth = await verifier.verify(await encrypt(inner, rsa.publicKey));
    expect(auth.token).toBe(inner);
    expect(auth.scopes.has('read')).toBe(true);
    await expect(
      verifier.verify(await encrypt(await hs256({ exp: NOW - 60 }), rsa.publicKey)),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_EXPIRED',
    });
  });

  it('decrypts with ECDH-ES+A256KW from a private JWK and with dir from raw bytes', async () => {
    const inner = await hs256();
    const jwk = { ...(await exportJWK(ec.privateKey)), kid: 'e1' };
    const verifier = createVerifier({ ...HS, decryption: { keys: { keys: [jwk] } } });
    const header = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT', kid: 'e1' };
    expect((await verifier.verify(await encrypt(inner, ec.publicKey, header))).token).toBe(inner);
    const cek = crypto.getRandomValues(new Uint8Array(32));
    const dir = createVerifier({ ...HS, decryption: { keys: cek } });
    expect(
      (await dir.verify(await encrypt(inner, cek, { alg: 'dir', enc: 'A256GCM', cty: 'jwt' })))
        .token,
    ).toBe(inner);
  });

  it('imports a PKCS#8 PEM private key', async () => {
    const decrypt = createDecryptor({ keys: await exportPKCS8(rsa.privateKey) });
    expect(await decrypt(await encrypt('a.b.c', rsa.publicKey))).toBe('a.b.c');
  });

  it('refuses a JWE whose content is not a JWT', async () => {
    const decrypt = createDecryptor({ keys: rsa.privateKey });
    const token = await encrypt('hello', rsa.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    await expect(decrypt(token)).rejects.toBeInstanceOf(MalformedTokenError);
  });

  it('refuses algorithms off the allow-list (RSA-OAEP, A128GCM by default)', async () => {
    const decrypt = createDecryptor({ keys: rsa.privateKey });
    const a128 = await encrypt('a.b.c', rsa.publicKey, {
      alg: 'RSA-OAEP-256',
      enc: 'A128GCM',
      cty: 'JWT',
    });
    await expect(decrypt(a128)).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
    const allowed = createDecryptor({
      keys: rsa.privateKey,
      contentEncryptionAlgorithms: ['A128GCM'],
    });
    expect(await allowed(a128)).toBe('a.b.c');
  });

  it('accepts RSA-OAEP (SHA-1) only when listed in keyManagementAlgorithms', async () => {
    const oaep = await generateKeyPair('RSA-OAEP', { extractable: true });
    const header = { alg: 'RSA-OAEP', enc: 'A256GCM', cty: 'JWT' };
    const token = await encrypt(await hs256(), oaep.publicKey, header);
    const byDefault = createVerifier({ ...HS, decryption: { keys: oaep.privateKey } });
    await expect(byDefault.verify(token)).rejects.toMatchObject({
      code: 'ERR_ALGORITHM_UNSUPPORTED',
      message: 'The token key management algorithm ("alg") is not allowed',
    });
    const optedIn = createVerifier({
      ...HS,
      decryption: { keys: oaep.privateKey, keyManagementAlgorithms: ['RSA-OAEP'] },
    });
    await expect(optedIn.verify(token)).resolves.toMatchObject({ claims: { iss: ISSUER } });
    expect(DEFAULT_KEY_MANAGEMENT_ALGORITHMS).toEqual([
      'RSA-OAEP-256',
      'ECDH-ES',
      'ECDH-ES+A256KW',
      'dir',
    ]);
    expect(DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS).toEqual(['A256GCM']);
  });

  it('says whether the alg or the enc of a refused JWE was off its list', async () => {
    const verifier = createVerifier({ ...HS, decryption: { keys: rsa.privateKey } });
    const badEnc = await encrypt(await hs256(), rsa.publicKey, {
      alg: 'RSA-OAEP-256',
      enc: 'A128CBC-HS256',
      cty: 'JWT',
    });
    const encError = await verifier.verify(badEnc).catch((e) => e);
    expect(encError).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(encError).toMatchObject({
      code: 'ERR_ALGORITHM_UNSUPPORTED',
      status: 401,
      message: 'The token content encryption algorithm ("enc") is not allowed',
    });
    const kw = crypto.getRandomValues(new Uint8Array(16));
    const badAlg = await encrypt(await hs256(), kw, { alg: 'A128KW', enc: 'A256GCM', cty: 'JWT' });
    const algError = await verifier.verify(badAlg).catch((e) => e);
    expect(algError).toMatchObject({
      code: 'ERR_ALGORITHM_UNSUPPORTED',
      message: 'The token key management algorithm ("alg") is not allowed',
    });
    // Both off the list: the alg is named, as it is checked first.
    const both = await encrypt(await hs256(), kw, { alg: 'A128KW', enc: 'A128GCM', cty: 'JWT' });
    await expect(verifier.verify(both)).rejects.toThrow(/\("alg"\)/);
  });

  it('refuses a JWE encrypted to another key, or with a kid that matches no key', async () => {
    const other = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const decrypt = createDecryptor({
      keys: [{ ...(await exportJWK(rsa.privateKey)), kid: 'mine' }],
    });
    await expect(decrypt(await encrypt('a.b.c', other.publicKey))).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
    const header = { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'theirs' };
    await expect(decrypt(await encrypt('a.b.c', rsa.publicKey, header))).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
  });

  it('refuses a compressed plaintext that inflates past maxTokenSize (zip bomb)', async () => {
    const verifier = createVerifier({ ...HS, decryption: { keys: rsa.privateKey } });
    const header = { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', zip: 'DEF' };
    const bomb = await encrypt(`a.${'A'.repeat(200_000)}.c`, rsa.publicKey, header);
    expect(bomb.length).toBeLessThan(8192);
    const error = await verifier.verify(bomb).catch((e) => e);
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(String(error.cause?.message)).toMatch(/exceeded/);
  });

  it('refuses a five-segment token that is not a JWE', async () => {
    const verifier = createVerifier({ ...HS, decryption: { keys: rsa.privateKey } });
    await expect(verifier.verify('AAAA.AAAA.AAAA.AAAA.AAAA')).rejects.toBeInstanceOf(
      MalformedTokenError,
    );
  });

  it('checks the decryption options at construction', () => {
    const bad: unknown[] = [
      null,
      { keys: [] },
      { keys: 'not a pem' },
      { keys: new Uint8Array(0) },
      { keys: 42 },
      { keys: { kty: 'RSA', use: 'sig' } },
      { keys: rsa.privateKey, keyManagementAlgorithms: ['RSA1_5'] },
      { keys: rsa.privateKey, keyManagementAlgorithms: ['rsa-oaep'] },
      { keys: rsa.privateKey, keyManagementAlgorithms: ['PBES2-HS256+A128KW'] },
      { keys: rsa.privateKey, contentEncryptionAlgorithms: [] },
      { keys: rsa.privateKey, extra: true },
    ];
    for (const decryption of bad)
      expect(() => createDecryptor(decryption as never), String(decryption)).toThrow(TypeError);
  });
});
