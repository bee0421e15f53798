import { base64url, createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestIssuer,
  flipSignatureBit,
  padSignature,
  replaceHeader,
  replacePayload,
  standardBase64Signature,
  type TestIssuer,
  toSeconds,
  truncateSignature,
  withSegments,
  zeroSignature,
} from './index.js';

let issuer: TestIssuer;
let token: string;
beforeAll(async () => {
  issuer = await createTestIssuer({ algorithms: ['RS256', 'ES256'] });
  token = await issuer.mint();
});
afterAll(() => issuer.close());

const verify = (t: string) => jwtVerify(t, createLocalJWKSet(issuer.jwks()));
const sigBytes = (t: string) => base64url.decode(t.split('.')[2]!);

describe('forgery helpers', () => {
  it('flips exactly one signature bit', async () => {
    const forged = flipSignatureBit(token);
    const [a, b] = [sigBytes(token), sigBytes(forged)];
    expect(a.length).toBe(b.length);
    expect(a[0]! ^ b[0]!).toBe(1);
    await expect(verify(forged)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('truncates the signature to half its bytes', async () => {
    const forged = truncateSignature(token);
    expect(sigBytes(forged).length).toBe(128);
    await expect(verify(forged)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('replaces an ES256 signature with zeros', async () => {
    const forged = zeroSignature(await issuer.mint({}, { alg: 'ES256' }));
    expect(sigBytes(forged)).toEqual(new Uint8Array(64));
    await expect(verify(forged)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('pads the signature with = so the token has a second string form', () => {
    const forged = padSignature(token);
    expect(forged.startsWith(token)).toBe(true);
    expect(forged).toMatch(/=+$/);
    expect(forged.split('.')[2]!.length % 4 === 0).toBe(true);
  });

  it('rewrites the signature in the standard base64 alphabet when it can', () => {
    const forged = standardBase64Signature(token);
    if (forged === undefined) expect(token.split('.')[2]).not.toMatch(/[-_]/);
    else expect(forged.split('.')[2]).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(standardBase64Signature('a.b.cde')).toBeUndefined();
  });

  it('replaces the header or payload with arbitrary text', async () => {
    const array = replaceHeader(token, '["RS256"]');
    expect(() => decodeProtectedHeader(array)).toThrow();
    await expect(verify(array)).rejects.toBeInstanceOf(errors.JWSInvalid);
    const notJson = replacePayload(token, 'not json');
    expect(notJson.split('.')[1]).toBe(base64url.encode('not json'));
  });

  it('builds tokens with 2, 4 and 5 segments', () => {
    expect(withSegments(token, 2).split('.')).toHaveLength(2);
    expect(withSegments(token, 4).split('.')).toHaveLength(4);
    expect(withSegments(token, 5).split('.')).toHaveLength(5);
  });

  it('refuses input that is not a three-segment JWS', () => {
    expect(() => flipSignatureBit('a.b')).toThrow(TypeError);
  });
});

describe('toSeconds', () => {
  it.each([
    [90, 90],
    ['30s', 30],
    ['5m', 300],
    ['-1h', -3600],
    ['2d', 172800],
  ] as const)('reads %j as %d seconds', (input, seconds) => {
    expect(toSeconds(input)).toBe(seconds);
  });

  it.each(['soon', '5 years', '', Number.NaN])('refuses %j with a TypeError', (input) => {
    expect(() => toSeconds(input)).toThrow(TypeError);
  });
});
