import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  InvalidClaimError,
  InvalidSignatureError,
  KeySetUnavailableError,
  MalformedTokenError,
  TokenExpiredError,
  TokenNotYetValidError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { mapJoseError } from './jose-errors.js';

describe('mapJoseError', () => {
  const cases: [string, unknown, abstract new (...a: never[]) => Error][] = [
    ['JWTExpired', new errors.JWTExpired('x', {}), TokenExpiredError],
    [
      'JWTClaimValidationFailed nbf',
      new errors.JWTClaimValidationFailed('x', {}, 'nbf'),
      TokenNotYetValidError,
    ],
    [
      'JWTClaimValidationFailed aud',
      new errors.JWTClaimValidationFailed('x', {}, 'aud'),
      InvalidClaimError,
    ],
    [
      'JWSSignatureVerificationFailed',
      new errors.JWSSignatureVerificationFailed(),
      InvalidSignatureError,
    ],
    ['JWEDecryptionFailed', new errors.JWEDecryptionFailed(), InvalidSignatureError],
    ['JOSEAlgNotAllowed', new errors.JOSEAlgNotAllowed('x'), UnsupportedAlgorithmError],
    ['JOSENotSupported', new errors.JOSENotSupported('x'), UnsupportedAlgorithmError],
    ['JWKSNoMatchingKey', new errors.JWKSNoMatchingKey(), InvalidSignatureError],
    ['JWKSMultipleMatchingKeys', new errors.JWKSMultipleMatchingKeys(), InvalidSignatureError],
    ['JWKSTimeout', new errors.JWKSTimeout(), KeySetUnavailableError],
    ['JWKSInvalid', new errors.JWKSInvalid('x'), KeySetUnavailableError],
    ['JWSInvalid', new errors.JWSInvalid('x'), MalformedTokenError],
    ['JWTInvalid', new errors.JWTInvalid('x'), MalformedTokenError],
    ['JWEInvalid', new errors.JWEInvalid('x'), MalformedTokenError],
    ['JWKInvalid', new errors.JWKInvalid('x'), UnsupportedAlgorithmError],
    [
      'TypeError (key does not fit)',
      new TypeError('CryptoKey does not support this operation'),
      UnsupportedAlgorithmError,
    ],
    ['anything else', new Error('boom'), InvalidSignatureError],
  ];

  it.each(cases)('maps %s and keeps it as cause', (_name, error, expected) => {
    const mapped = mapJoseError(error);
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.cause).toBe(error);
    expect(mapped.message).not.toMatch(/CryptoKey|boom/);
  });

  it('passes tokengate errors through unchanged', () => {
    const error = new MalformedTokenError();
    expect(mapJoseError(error)).toBe(error);
  });
});
