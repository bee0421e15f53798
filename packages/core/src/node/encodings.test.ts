// Signature encodings at the edge of RFC 7518 §3: both entries must give the same answer.
import { constants, createHmac, type KeyObject, sign } from 'node:crypto';
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TokengateError } from '../errors.js';
import { type Keys, makeKeys, prng } from '../test-support/differential.js';
import { createVerifier as createDefault } from '../verifier.js';
import { createVerifier as createNode } from './index.js';

let keys: Keys;
beforeAll(async () => {
  keys = await makeKeys(prng(11));
});

const input = (alg: string) =>
  `${base64url.encode(JSON.stringify({ alg }))}.${base64url.encode(JSON.stringify({ sub: 'edge', exp: 4e9 }))}`;
const token = (data: string, signature: Uint8Array) => `${data}.${base64url.encode(signature)}`;
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;
const toBytes = (n: bigint, length: number, littleEndian = false) => {
  const hex = n.toString(16).padStart(length * 2, '0');
  const bytes = Uint8Array.from(hex.match(/../g) as string[], (h) => Number.parseInt(h, 16));
  return littleEndian ? bytes.reverse() : bytes;
};
const toBigInt = (bytes: Uint8Array, littleEndian = false) =>
  BigInt(`0x${Buffer.from(littleEndian ? [...bytes].reverse() : bytes).toString('hex')}`);

async function verdicts(options: Parameters<typeof createDefault>[0], jws: string) {
  const run = (verify: (t: string) => Promise<unknown>) =>
    verify(jws).then(
      () => 'accepted',
      (e: TokengateError) => e.code,
    );
  // The tokens carry no `iss` or `aud`: these cases are about signature encodings.
  const open = { issuer: false, audience: false, ...options } as const;
  const [reference, fast] = await Promise.all([
    run(createDefault(open).verify),
    run(createNode(open).verify),
  ]);
  expect(fast).toBe(reference);
  return reference;
}

describe('signature encodings, default entry vs node entry', () => {
  it('accepts RSA-PSS only with a salt as long as the hash', async () => {
    const data = input('PS256');
    const pss = (saltLength: number) =>
      token(
        data,
        sign('sha256', Buffer.from(data), {
          key: keys.rsa.privateKey as KeyObject,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength,
        }),
      );
    const options = { keys: keys.rsa.jwk, algorithms: ['PS256'] };
    expect(await verdicts(options, pss(32))).toBe('accepted');
    for (const salt of [0, 20, 64, constants.RSA_PSS_SALTLEN_MAX_SIGN])
      expect(await verdicts(options, pss(salt))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('refuses a PKCS#1 v1.5 signature under PS256 and a PSS one under RS256', async () => {
    const key = keys.rsa.privateKey as KeyObject;
    const options = { keys: keys.rsa.jwk, algorithms: ['RS256', 'PS256'] };
    const pkcs1 = sign('sha256', Buffer.from(input('PS256')), key);
    expect(await verdicts(options, token(input('PS256'), pkcs1))).toBe('ERR_SIGNATURE_INVALID');
    const pss = sign('sha256', Buffer.from(input('RS256')), {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    expect(await verdicts(options, token(input('RS256'), pss))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('takes ES256 signatures only as IEEE P1363 r||s, and agrees on r = 0 and high s', async () => {
    const data = input('ES256');
    const key = keys.ec256.privateKey as KeyObject;
    const options = { keys: keys.ec256.jwk, algorithms: ['ES256'] };
    const p1363 = sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' });
    expect(await verdicts(options, token(data, p1363))).toBe('accepted');
    const der = sign('sha256', Buffer.from(data), { key, dsaEncoding: 'der' });
    expect(await verdicts(options, token(data, der))).toBe('ERR_SIGNATURE_INVALID');
    const zeroR = Uint8Array.from([...new Uint8Array(32), ...p1363.subarray(32)]);
    expect(await verdicts(options, token(data, zeroR))).toBe('ERR_SIGNATURE_INVALID');
    const rIsN = Uint8Array.from([...toBytes(P256_N, 32), ...p1363.subarray(32)]);
    expect(await verdicts(options, token(data, rIsN))).toBe('ERR_SIGNATURE_INVALID');
    // (r, n - s) is the other valid signature (ECDSA is malleable; RFC 7518 requires no low s).
    const highS = toBytes(P256_N - toBigInt(p1363.subarray(32)), 32);
    await verdicts(options, token(data, Uint8Array.from([...p1363.subarray(0, 32), ...highS])));
  });

  it('refuses an Ed25519 signature whose S is not reduced (S + L)', async () => {
    const data = input('EdDSA');
    const signature = sign(null, Buffer.from(data), keys.ed.privateKey as KeyObject);
    const options = { keys: keys.ed.jwk, algorithms: ['EdDSA'] };
    expect(await verdicts(options, token(data, signature))).toBe('accepted');
    const s = toBigInt(signature.subarray(32), true) + ED25519_L;
    const unreduced = Uint8Array.from([...signature.subarray(0, 32), ...toBytes(s, 32, true)]);
    expect(await verdicts(options, token(data, unreduced))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('refuses a truncated HMAC and one keyed with another secret', async () => {
    const data = input('HS256');
    const mac = createHmac('sha256', keys.secret2).update(data).digest();
    const options = { secret: keys.secret2, algorithms: ['HS256'] };
    expect(await verdicts(options, token(data, mac))).toBe('accepted');
    expect(await verdicts(options, token(data, mac.subarray(0, 16)))).toBe('ERR_SIGNATURE_INVALID');
    const other = createHmac('sha256', keys.secret1).update(data).digest();
    expect(await verdicts(options, token(data, other))).toBe('ERR_SIGNATURE_INVALID');
  });
});
