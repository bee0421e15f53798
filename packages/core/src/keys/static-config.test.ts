import { base64url } from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isTokengateError } from '../errors.js';
import { AUDIENCE, bearer, claims, ISSUER, keyPairs, NOW, sign } from '../test-support/tokens.js';
import { createVerifier } from '../verifier.js';
import { KeyConfigurationError } from './config-error.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  return () => vi.useRealTimers();
});

const pem = (label: string, body: string, end = label) =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${end}-----`;

describe('static keys: misconfiguration is a TypeError at construction', () => {
  it('refuses a PEM with broken armour, a wrong label, bad base64 or PKCS#1', async () => {
    const { ec } = await keyPairs();
    const body = ec.pem.split('\n').slice(1, -2).join('\n');
    const cases: [string, RegExp][] = [
      [pem('PUBLIC KEY', body, 'CERTIFICATE'), /begins with "PUBLIC KEY" but ends with/],
      [pem('PUBLIC KEY', body).replace('-----END PUBLIC KEY-----', ''), /armour is broken/],
      [pem('PUBLIC KEY', `${body}!*`), /armour is broken|not valid base64/],
      [pem('PUBLIC KEY', body.slice(1)), /not valid base64/],
      [pem('RSA PUBLIC KEY', body), /PKCS#1/],
      [pem('EC PRIVATE KEY', body), /private key/],
      [pem('ENCRYPTED DATA', body), /not a public key/],
    ];
    for (const [keys, message] of cases)
      expect(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }), keys).toThrow(
        message,
      );
  });

  it('refuses a JWK without its required members, with a bad curve or a mismatched alg', async () => {
    const { ec, rsa, ed } = await keyPairs();
    const cases: [object, RegExp][] = [
      [{ ...rsa.jwk, n: undefined }, /RSA JWK needs "n"/],
      [{ ...rsa.jwk, e: 'AQ+B' }, /RSA JWK needs "e"/],
      [{ ...ec.jwk, y: undefined }, /EC JWK needs "y"/],
      [{ ...ec.jwk, crv: 'P-192' }, /"crv" must be P-256/],
      [{ ...ed.jwk, crv: 'X25519' }, /"crv" must be Ed25519/],
      [{ ...ed.jwk, x: 42 }, /OKP JWK needs "x"/],
      [{ ...ec.jwk, kty: 'DSA' }, /"kty" must be RSA, EC or OKP/],
      [{ ...ec.jwk, alg: 'RS256' }, /"alg" "RS256", which it cannot verify/],
      [{ ...rsa.jwk, alg: 'HS256' }, /"alg" "HS256"/],
      [{ keys: [ec.jwk, { ...ec.jwk, d: 'AAAA' }] }, /private key/],
      [{ keys: [ec.jwk, { ...ec.jwk, x: undefined }] }, /EC JWK needs "x"/],
      [{ keys: [ec.jwk, null] }, /entries must be JWK objects/],
    ];
    for (const [keys, message] of cases)
      expect(
        () => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: keys as never }),
        JSON.stringify(keys),
      ).toThrow(message);
  });
});

describe('static keys: a key only the import finds broken', () => {
  async function expectConfigError(keys: never, alg: string, privateKey: CryptoKey) {
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys,
      optional: 'allow-invalid',
    });
    const token = await sign(claims(), privateKey, alg);
    for (const attempt of [verifier.verify(token), verifier.authenticate(bearer(token))]) {
      const error = await attempt.catch((e: unknown) => e);
      // Not a 401: a TypeError the adapters hand to the framework's error path (500).
      expect(error).toBeInstanceOf(KeyConfigurationError);
      expect(error).toBeInstanceOf(TypeError);
      expect(isTokengateError(error)).toBe(false);
      expect((error as Error).message).toMatch(/could not be imported; fix the configured key/);
    }
  }

  it('rejects every verification with KeyConfigurationError for a PEM of garbage DER', async () => {
    const { rsa } = await keyPairs();
    const garbage = pem('PUBLIC KEY', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAAAAA');
    await expectConfigError(garbage as never, 'RS256', rsa.privateKey);
  });

  it('rejects every verification with KeyConfigurationError for an EC JWK off its curve', async () => {
    const { ec } = await keyPairs();
    const offCurve = { ...ec.jwk, x: base64url.encode(new Uint8Array(32).fill(7)) };
    await expectConfigError(offCurve as never, 'ES256', ec.privateKey);
  });

  it('still answers 401 when a sound PEM simply does not fit the token algorithm', async () => {
    const { ec, rsa } = await keyPairs();
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: ec.pem });
    const error = await verifier
      .verify(await sign(claims(), rsa.privateKey, 'RS256'))
      .catch((e: unknown) => e);
    expect(isTokengateError(error) && error.status).toBe(401);
  });
});
