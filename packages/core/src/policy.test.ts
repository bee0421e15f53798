import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidClaimError,
  RevokedTokenError,
  StoreUnavailableError,
  TokenExpiredError,
  TokenNotYetValidError,
} from './errors.js';
import type { VerifierOptions } from './options.js';
import { checkPolicy } from './options-check.js';
import { checkBuiltInClaims, checkTimeClaims, hasHooks, runHooks } from './policy.js';
import { AUDIENCE, hs256, ISSUER, NOW, SECRET } from './test-support/tokens.js';
import type { JWTClaims, ProtectedHeader } from './types.js';
import { createVerifier } from './verifier.js';

const policy = (o: VerifierOptions = {}) => checkPolicy(o);
const header: ProtectedHeader = { alg: 'HS256' };
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
  const check =
    (claims: JWTClaims, p = policy(), h: ProtectedHeader = header) =>
    () =>
      checkBuiltInClaims(claims, h, p, NOW);

  it('accepts any of several issuers and refuses others', () => {
    expect(check(ok, policy({ issuer: ['b', 'a'] }))).not.toThrow();
    expect(check(ok, policy({ issuer: 'b' }))).toThrow(claimError('iss'));
    expect(check({ ...ok, iss: 1 as never }, policy({ issuer: 'a' }))).toThrow(claimError('iss'));
  });

  it('matches aud as a string or any array member', () => {
    expect(check(ok, policy({ audience: 'api' }))).not.toThrow();
    expect(check({ ...ok, aud: 'api' }, policy({ audience: ['z', 'api'] }))).not.toThrow();
    expect(check(ok, policy({ audience: 'other' }))).toThrow(claimError('aud'));
    expect(check({ ...ok, aud: undefined }, policy({ audience: 'api' }))).toThrow(
      claimError('aud'),
    );
  });

  it('requires the listed claims', () => {
    expect(check(ok, policy({ requiredClaims: ['sub'] }))).not.toThrow();
    expect(check(ok, policy({ requiredClaims: ['org'] }))).toThrow(claimError('org'));
  });

  it('refuses a sub or jti that is not a string', () => {
    expect(check({ ...ok, sub: 1 as never })).toThrow(claimError('sub'));
    expect(check({ ...ok, jti: {} as never })).toThrow(claimError('jti'));
  });

  it('checks the time claims first', () => {
    expect(check({ ...ok, exp: NOW - 60 }, policy({ issuer: 'b' }))).toThrow(TokenExpiredError);
  });

  it('checks typ against an allow-list, ignoring case and the application/ prefix', () => {
    const p = policy({ typ: ['JWT'] });
    expect(check(ok, p, { alg: 'HS256', typ: 'jwt' })).not.toThrow();
    expect(check(ok, p, { alg: 'HS256', typ: 'application/JWT' })).not.toThrow();
    expect(check(ok, p, { alg: 'HS256', typ: 'at+jwt' })).toThrow(claimError('typ'));
    expect(check(ok, p)).toThrow(claimError('typ'));
  });

  const access: JWTClaims = { ...ok, client_id: 'c1', iat: NOW - 1, jti: 'j1' };

  it("in 'rfc9068' mode accepts only at+jwt and application/at+jwt (RFC 9068 §4)", () => {
    const p = policy({ typ: 'rfc9068' });
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+Jwt'])
      expect(check(access, p, { alg: 'HS256', typ })).not.toThrow();
    for (const typ of ['JWT', 'at+jwt2', undefined])
      expect(check(access, p, { alg: 'HS256', typ })).toThrow(claimError('typ'));
  });

  it.each([
    'iss',
    'exp',
    'aud',
    'sub',
    'client_id',
    'iat',
    'jti',
  ])("in 'rfc9068' mode refuses a token without %s (RFC 9068 §2.2), even with requireExp: false", (name) => {
    const at = { alg: 'HS256', typ: 'at+jwt' };
    const without = { ...access, [name]: undefined };
    for (const p of [policy({ typ: 'rfc9068' }), policy({ typ: 'rfc9068', requireExp: false })])
      expect(check(without, p, at)).toThrow(claimError(name));
    // Outside the profile the same token passes (exp aside, which requireExp covers).
    if (name !== 'exp') expect(check(without, policy(), at)).not.toThrow();
  });
});

describe('application hooks', () => {
  const ok = { exp: NOW + 60 };

  it('treats anything but false from the revocation hook as revoked, so it fails closed', async () => {
    const p = (r: unknown) => policy({ isRevoked: () => r as boolean });
    await expect(runHooks(ok, header, p(false))).resolves.toBeUndefined();
    await expect(runHooks(ok, header, p(undefined))).rejects.toBeInstanceOf(RevokedTokenError);
  });

  it('refuses with a 503 when the revocation hook throws, keeping a tokengate error as it is', async () => {
    const down = policy({ isRevoked: () => Promise.reject(new Error('db down')) });
    const error = await runHooks(ok, header, down).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).toResponse()).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: { error: 'temporarily_unavailable', code: 'ERR_STORE_UNAVAILABLE' },
    });
    const own = new StoreUnavailableError('redis down', { retryAfter: 9 });
    await expect(
      runHooks(ok, header, policy({ isRevoked: () => Promise.reject(own) })),
    ).rejects.toBe(own);
  });

  it('runs the validators in order before the revocation hook', async () => {
    const calls: string[] = [];
    const p = policy({
      validators: [() => void calls.push('first'), async () => void calls.push('second')],
      isRevoked: () => {
        calls.push('revoked?');
        return false;
      },
    });
    expect(hasHooks(p)).toBe(true);
    expect(hasHooks(policy())).toBe(false);
    await runHooks(ok, header, p);
    expect(calls).toEqual(['first', 'second', 'revoked?']);
  });

  it('wraps a failing validator in InvalidClaimError, keeping a tokengate error as it is', async () => {
    const failing = policy({
      validators: [
        () => {
          throw new Error('nope');
        },
      ],
    });
    await expect(runHooks(ok, header, failing)).rejects.toEqual(claimError('claims'));
    const own = new InvalidClaimError('org');
    const typed = policy({
      validators: [
        () => {
          throw own;
        },
      ],
    });
    await expect(runHooks(ok, header, typed)).rejects.toBe(own);
  });
});

describe('through the verifier', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });
  afterEach(() => vi.useRealTimers());

  it('accepts a token 4 s past exp and refuses one 6 s past (default tolerance)', async () => {
    const verifier = createVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
    await expect(verifier.verify(await hs256({ exp: NOW - 4 }))).resolves.toBeTruthy();
    await expect(verifier.verify(await hs256({ exp: NOW - 6 }))).rejects.toBeInstanceOf(
      TokenExpiredError,
    );
  });

  it('accepts a token without exp only when requireExp is false', async () => {
    const token = await hs256({ exp: undefined });
    const strict = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };
    await expect(createVerifier(strict).verify(token)).rejects.toBeInstanceOf(InvalidClaimError);
    await expect(
      createVerifier({ ...strict, requireExp: false }).verify(token),
    ).resolves.toBeTruthy();
  });

  it('refuses an RFC 9068 access token without client_id with 401 naming the claim', async () => {
    const verifier = createVerifier({
      secret: SECRET,
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'rfc9068',
    });
    const at = { typ: 'at+jwt' };
    await expect(
      verifier.verify(await hs256({ client_id: 'c1', jti: 'j1' }, at)),
    ).resolves.toBeTruthy();
    const error = await verifier.verify(await hs256({ jti: 'j1' }, at)).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidClaimError);
    expect(error).toMatchObject({ claim: 'client_id', status: 401, code: 'ERR_CLAIM_INVALID' });
  });
});
