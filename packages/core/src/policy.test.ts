import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidClaimError,
  RevokedTokenError,
  TokenExpiredError,
  TokenNotYetValidError,
} from './errors.js';
import type { VerifierOptions } from './options.js';
import { checkPolicy } from './options-check.js';
import { checkTimeClaims, enforcePolicy } from './policy.js';
import { hs256, NOW, SECRET } from './test-support/tokens.js';
import type { JWTClaims } from './types.js';
import { createVerifier } from './verifier.js';

const policy = (o: VerifierOptions = {}) => checkPolicy(o);
const header = { alg: 'HS256' };
const claimError = (claim: string) => expect.objectContaining({ claim, code: 'ERR_CLAIM_INVALID' });

describe('time claims', () => {
  it('applies the default 5 s clock tolerance to exp in both directions of skew', () => {
    const p = policy();
    expect(() => checkTimeClaims({ exp: NOW - 4 }, p, NOW)).not.toThrow();
    expect(() => checkTimeClaims({ exp: NOW - 5 }, p, NOW)).toThrow(TokenExpiredError);
    expect(() => checkTimeClaims({ exp: NOW + 60, nbf: NOW + 4 }, p, NOW)).not.toThrow();
    expect(() => checkTimeClaims({ exp: NOW + 60, nbf: NOW + 6 }, p, NOW)).toThrow(
      TokenNotYetValidError,
    );
  });

  it('uses a configured clockTolerance', () => {
    const p = policy({ clockTolerance: '1m' });
    expect(() => checkTimeClaims({ exp: NOW - 59 }, p, NOW)).not.toThrow();
    expect(() => checkTimeClaims({ exp: NOW - 61 }, p, NOW)).toThrow(TokenExpiredError);
    expect(() => checkTimeClaims({ exp: NOW - 1 }, policy({ clockTolerance: 0 }), NOW)).toThrow(
      TokenExpiredError,
    );
  });

  it('requires exp unless requireExp is false', () => {
    expect(() => checkTimeClaims({}, policy(), NOW)).toThrow(claimError('exp'));
    expect(() => checkTimeClaims({}, policy({ requireExp: false }), NOW)).not.toThrow();
  });

  it('refuses time claims that are not finite numbers', () => {
    for (const name of ['exp', 'nbf', 'iat'])
      for (const value of ['1767225600', null, Number.POSITIVE_INFINITY, [1]])
        expect(() =>
          checkTimeClaims({ exp: NOW + 60, [name]: value } as JWTClaims, policy(), NOW),
        ).toThrow(claimError(name));
  });

  it('refuses a token issued in the future', () => {
    expect(() => checkTimeClaims({ exp: NOW + 600, iat: NOW + 60 }, policy(), NOW)).toThrow(
      TokenNotYetValidError,
    );
  });

  it('enforces maxTokenAge from iat, and requires iat for it', () => {
    const p = policy({ maxTokenAge: '10m' });
    expect(() => checkTimeClaims({ exp: NOW + 60, iat: NOW - 600 }, p, NOW)).not.toThrow();
    expect(() => checkTimeClaims({ exp: NOW + 60, iat: NOW - 606 }, p, NOW)).toThrow(
      TokenExpiredError,
    );
    expect(() => checkTimeClaims({ exp: NOW + 60 }, p, NOW)).toThrow(claimError('iat'));
  });
});

describe('issuer, audience, required claims, typ', () => {
  const ok: JWTClaims = { exp: NOW + 60, iss: 'a', aud: ['x', 'api'], sub: 's' };

  it('accepts any of several issuers and refuses others', async () => {
    await expect(
      enforcePolicy(ok, header, policy({ issuer: ['b', 'a'] }), NOW),
    ).resolves.toBeUndefined();
    await expect(enforcePolicy(ok, header, policy({ issuer: 'b' }), NOW)).rejects.toEqual(
      claimError('iss'),
    );
    await expect(
      enforcePolicy({ ...ok, iss: 1 as never }, header, policy({ issuer: 'a' }), NOW),
    ).rejects.toEqual(claimError('iss'));
  });

  it('matches aud as a string or any array member', async () => {
    await expect(
      enforcePolicy(ok, header, policy({ audience: 'api' }), NOW),
    ).resolves.toBeUndefined();
    await expect(
      enforcePolicy({ ...ok, aud: 'api' }, header, policy({ audience: ['z', 'api'] }), NOW),
    ).resolves.toBeUndefined();
    await expect(enforcePolicy(ok, header, policy({ audience: 'other' }), NOW)).rejects.toEqual(
      claimError('aud'),
    );
    await expect(
      enforcePolicy({ ...ok, aud: undefined }, header, policy({ audience: 'api' }), NOW),
    ).rejects.toEqual(claimError('aud'));
  });

  it('requires the listed claims', async () => {
    await expect(
      enforcePolicy(ok, header, policy({ requiredClaims: ['sub'] }), NOW),
    ).resolves.toBeUndefined();
    await expect(
      enforcePolicy(ok, header, policy({ requiredClaims: ['org'] }), NOW),
    ).rejects.toEqual(claimError('org'));
  });

  it('refuses a sub or jti that is not a string', async () => {
    await expect(enforcePolicy({ ...ok, sub: 1 as never }, header, policy(), NOW)).rejects.toEqual(
      claimError('sub'),
    );
    await expect(enforcePolicy({ ...ok, jti: {} as never }, header, policy(), NOW)).rejects.toEqual(
      claimError('jti'),
    );
  });

  it('checks typ against an allow-list, ignoring case and the application/ prefix', async () => {
    const p = policy({ typ: ['JWT'] });
    await expect(enforcePolicy(ok, { alg: 'HS256', typ: 'jwt' }, p, NOW)).resolves.toBeUndefined();
    await expect(
      enforcePolicy(ok, { alg: 'HS256', typ: 'application/JWT' }, p, NOW),
    ).resolves.toBeUndefined();
    await expect(enforcePolicy(ok, { alg: 'HS256', typ: 'at+jwt' }, p, NOW)).rejects.toEqual(
      claimError('typ'),
    );
    await expect(enforcePolicy(ok, header, p, NOW)).rejects.toEqual(claimError('typ'));
  });

  it("in 'rfc9068' mode accepts only at+jwt and application/at+jwt (RFC 9068 §4)", async () => {
    const p = policy({ typ: 'rfc9068' });
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+Jwt'])
      await expect(enforcePolicy(ok, { alg: 'HS256', typ }, p, NOW)).resolves.toBeUndefined();
    for (const typ of ['JWT', 'at+jwt2', undefined])
      await expect(enforcePolicy(ok, { alg: 'HS256', typ }, p, NOW)).rejects.toEqual(
        claimError('typ'),
      );
  });
});

describe('revocation hook', () => {
  it('treats anything but false as revoked, so a forgetful hook fails closed', async () => {
    const p = (r: unknown) => policy({ isRevoked: () => r as boolean });
    const ok = { exp: NOW + 60 };
    await expect(enforcePolicy(ok, header, p(false), NOW)).resolves.toBeUndefined();
    await expect(enforcePolicy(ok, header, p(undefined), NOW)).rejects.toBeInstanceOf(
      RevokedTokenError,
    );
  });
});

describe('through the verifier', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });
  afterEach(() => vi.useRealTimers());

  it('accepts a token 4 s past exp and refuses one 6 s past (default tolerance)', async () => {
    const verifier = createVerifier({ secret: SECRET });
    await expect(verifier.verify(await hs256({ exp: NOW - 4 }))).resolves.toBeTruthy();
    await expect(verifier.verify(await hs256({ exp: NOW - 6 }))).rejects.toBeInstanceOf(
      TokenExpiredError,
    );
  });

  it('accepts a token without exp only when requireExp is false', async () => {
    const token = await hs256({ exp: undefined });
    await expect(createVerifier({ secret: SECRET }).verify(token)).rejects.toBeInstanceOf(
      InvalidClaimError,
    );
    await expect(
      createVerifier({ secret: SECRET, requireExp: false }).verify(token),
    ).resolves.toBeTruthy();
  });
});
