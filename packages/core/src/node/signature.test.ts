import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenCache } from '../cache.js';
import { InvalidSignatureError, UnsupportedAlgorithmError } from '../errors.js';
import { joseSignatureVerifier } from '../keys/signature.js';
import type { VerificationKey } from '../keys/types.js';
import { joseSegmentDecoder } from '../parse.js';
import {
  ALL,
  type Keys,
  makeKeys,
  prng,
  publicKeyFor,
  signedTokenFor,
} from '../test-support/differential.js';
import { webTokenDigest } from '../web/digest.js';
import { bufferSegmentDecoder } from './decoder.js';
import { nodeEngine } from './engine.js';
import { createVerifier } from './index.js';
import { ALG_SPECS, nodeKeyFor } from './keys.js';
import { nodeSignatureVerifier } from './signature.js';

let keys: Keys;
const publicFor = (alg: string) => publicKeyFor(keys, alg);
const tokenFor = (alg: string) => signedTokenFor(keys, alg);

beforeAll(async () => {
  keys = await makeKeys(prng(7));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('node signature step', () => {
  it.each(ALL)('verifies %s with node:crypto, never calling jose', async (alg) => {
    const jose = vi.spyOn(joseSignatureVerifier, 'verify');
    const token = await tokenFor(alg);
    expect(nodeSignatureVerifier.verify(token, alg, await publicFor(alg))).toBeUndefined();
    expect(jose).not.toHaveBeenCalled();
  });

  it('imports a key into a KeyObject once and reuses it', async () => {
    const key = await publicFor('ES256');
    const spec = ALG_SPECS.get('ES256');
    if (!spec) throw new Error('no ES256');
    const first = nodeKeyFor(key, spec);
    expect(first).toBeInstanceOf(KeyObject);
    expect(nodeKeyFor(key, spec)).toBe(first);
  });

  it('refuses a bad signature with InvalidSignatureError, whatever its length', async () => {
    for (const alg of ['HS256', 'ES256', 'RS256', 'EdDSA']) {
      const token = await tokenFor(alg);
      const key = await publicFor(alg);
      const [h, p] = token.split('.');
      for (const sig of ['', 'AA', base64url.encode(new Uint8Array(600))])
        expect(() => nodeSignatureVerifier.verify(`${h}.${p}.${sig}`, alg, key)).toThrow(
          InvalidSignatureError,
        );
    }
  });

  it('hands keys jose would refuse to jose, so the error is the same (1024-bit RSA)', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    // jose will not sign with it either; node:crypto makes the test token.
    const input = `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('{"sub":"x"}')}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), small.privateKey).toString('base64url')}`;
    const jose = vi.spyOn(joseSignatureVerifier, 'verify');
    await expect(async () =>
      nodeSignatureVerifier.verify(token, 'RS256', small.publicKey),
    ).rejects.toThrow(TypeError);
    expect(jose).toHaveBeenCalledOnce();
    const verifier = createVerifier({
      issuer: false,
      audience: false,
      getKey: () => small.publicKey,
      algorithms: ['RS256'],
    });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
  });

  it('does not use a CryptoKey imported for another algorithm', async () => {
    const { publicKey } = await generateKeyPair('PS256');
    const spec = ALG_SPECS.get('RS256');
    if (!spec) throw new Error('no RS256');
    expect(nodeKeyFor(publicKey, spec)).toBeNull();
    expect(nodeKeyFor((await exportJWK(publicKey)) as VerificationKey, spec)).toBeNull();
  });
});

describe('node segment decoder', () => {
  const cases: [string, string][] = [
    ['canonical object', base64url.encode('{"a":1}')],
    ['stray bits in the last character', `${base64url.encode('{"a":1}').slice(0, -1)}S`],
    ['padding', `${base64url.encode('{"a":1}')}=`],
    ['one character too many', `${base64url.encode('{"a":12}')}A`],
    ['base64 alphabet', 'eyJh+ZQ/'],
    ['leading BOM', base64url.encode('\ufeff{"a":1}')],
    ['invalid UTF-8', base64url.encode(new Uint8Array([0x7b, 0xc3, 0x7d]))],
    ['JSON array', base64url.encode('[1]')],
    ['JSON string', base64url.encode('"a"')],
    ['empty', ''],
  ];
  it.each(cases)('decodes like the jose decoder: %s', (_name, segment) => {
    const run = (decode: (s: string) => unknown) => {
      try {
        return { value: decode(segment) };
      } catch (error) {
        return { error: (error as Error).constructor.name };
      }
    };
    expect(run(bufferSegmentDecoder.json)).toEqual(run(joseSegmentDecoder.json));
  });
});

describe('node cache digest', () => {
  it('is the same SHA-256 as Web Crypto and the Web engine compute', async () => {
    const token = await tokenFor('HS256');
    const digest = nodeEngine.digest(token);
    expect(digest).toBe(createHash('sha256').update(token).digest('binary'));
    const web = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)),
    ).toString('latin1');
    expect(digest).toBe(web);
    expect(webTokenDigest(token)).toBe(digest);
    const cache = createTokenCache({}, nodeEngine.digest);
    cache.set(token, {
      token,
      header: { alg: 'HS256' },
      claims: { exp: 4e9 },
      scopes: new Set(),
    });
    expect(cache.get(token)?.claims.exp).toBe(4e9);
  });
});
