import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearer, createSecretMinter, type SecretMinter } from './portable.js';

const SECRET = 'a-unit-test-secret-that-is-at-least-32-bytes';
const minter = createSecretMinter({
  issuer: 'https://issuer.test/',
  audience: 'api',
  secret: SECRET,
});

function verify(token: string, m: SecretMinter = minter) {
  const { secret, issuer, audience, algorithms } = m.verifierOptions();
  return jwtVerify(token, new TextEncoder().encode(secret), { issuer, audience, algorithms });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createSecretMinter', () => {
  it('mints an HS256 token with the default claims that its verifier options accept', async () => {
    const token = await minter.mint({ scope: 'read' });
    const { payload, protectedHeader } = await verify(token);
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      iss: 'https://issuer.test/',
      aud: 'api',
      sub: 'test-user',
      scope: 'read',
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.jti).toEqual(expect.any(String));
    expect(minter.verifierOptions()).toEqual({
      issuer: 'https://issuer.test/',
      audience: 'api',
      secret: SECRET,
      algorithms: ['HS256'],
    });
  });

  it('takes iat and exp from the faked clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const at = Date.parse('2026-01-01T00:00:00Z') / 1000;
    expect(decodeJwt(await minter.mint({}, { expiresIn: '1m' }))).toMatchObject({
      iat: at,
      exp: at + 60,
    });
    const token = await minter.mint();
    vi.setSystemTime(new Date('2026-01-01T01:00:00Z'));
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('mints an expired token for a negative lifetime and a not-yet-valid one with notBefore', async () => {
    await expect(verify(await minter.mint({}, { expiresIn: -60 }))).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
    await expect(verify(await minter.mint({}, { notBefore: '1h' }))).rejects.toBeInstanceOf(
      errors.JWTClaimValidationFailed,
    );
  });

  it('lets claims override every default and leaves out a claim set to undefined', async () => {
    const claims = decodeJwt(await minter.mint({ sub: 'alice', aud: 'other', jti: undefined }));
    expect(claims).toMatchObject({ sub: 'alice', aud: 'other' });
    expect(claims).not.toHaveProperty('jti');
  });

  it("signs with a secret the verifier does not know for key: 'stranger'", async () => {
    const forged = await minter.mint({}, { key: 'stranger' });
    await expect(verify(forged)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('replaces or removes header fields', async () => {
    const token = await minter.mint({}, { header: { typ: 'at+jwt', kid: 'k1' } });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' });
    const bare = await minter.mint({}, { header: { typ: undefined } });
    expect(decodeProtectedHeader(bare)).toEqual({ alg: 'HS256' });
  });

  it('signs with HS512 when asked and generates a random secret by default', async () => {
    const a = createSecretMinter({ algorithm: 'HS512' });
    const b = createSecretMinter();
    expect(a.secret).not.toBe(b.secret);
    expect(a.secret.length).toBeGreaterThanOrEqual(43);
    const { payload, protectedHeader } = await verify(await a.mint(), a);
    expect(protectedHeader.alg).toBe('HS512');
    expect(payload).toMatchObject({
      iss: 'https://issuer.test/',
      aud: 'tokengate-test',
      sub: 'test-user',
    });
    await expect(verify(await b.mint(), a)).rejects.toThrow();
  });

  it('makes a second issuer with the same defaults and another secret', async () => {
    const other = createSecretMinter({ ...minter.defaults, secret: `${SECRET}-2` });
    const token = await other.mint();
    await expect(verify(token, other)).resolves.toBeDefined();
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('throws TypeError for an empty issuer or secret, an asymmetric algorithm or a bad lifetime', async () => {
    expect(() => createSecretMinter({ issuer: '' })).toThrow(TypeError);
    expect(() => createSecretMinter({ issuer: 'https://a.test', secret: '' })).toThrow(TypeError);
    expect(() =>
      createSecretMinter({ issuer: 'https://a.test', algorithm: 'RS256' as 'HS256' }),
    ).toThrow(/algorithm: use one of HS256, HS384, HS512/);
    await expect(minter.mint({}, { expiresIn: 'soon' })).rejects.toThrow(TypeError);
  });

  it('works when mint is destructured from the minter', async () => {
    const { mint } = minter;
    await expect(verify(await mint())).resolves.toBeDefined();
  });
});

describe('bearer', () => {
  it('builds the Authorization header record', () => {
    expect(bearer('abc.def.ghi')).toEqual({ authorization: 'Bearer abc.def.ghi' });
  });
});
