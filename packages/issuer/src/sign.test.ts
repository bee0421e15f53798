import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKeyRing } from './key-ring.js';
import { SIGNING_ALGORITHMS } from './keys.js';
import { ACCESS_TOKEN_TYP, sign } from './sign.js';
import { keyFor } from './test-support/keys.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const IAT = NOW.getTime() / 1000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sign', () => {
  it.each(
    SIGNING_ALGORITHMS,
  )('signs %s tokens that jose verifies through the published JWKS', async (alg) => {
    const key = await keyFor(alg);
    const ring = createKeyRing(key);
    const token = await sign(
      { scope: 'read:things' },
      { key: ring, expiresIn: '15m', issuer: 'https://id.example', audience: 'api', subject: 'u1' },
    );
    const verifyKey = alg.startsWith('HS')
      ? (key.privateKey as Uint8Array)
      : createLocalJWKSet(ring.jwks());
    const { payload, protectedHeader } = await jwtVerify(token, verifyKey as Uint8Array, {
      issuer: 'https://id.example',
      audience: 'api',
      algorithms: [alg],
      typ: 'at+jwt',
    });
    expect(protectedHeader).toEqual({ alg, kid: key.kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'u1', scope: 'read:things', iat: IAT, exp: IAT + 900 });
  });

  it('sets iat, exp from seconds, a random 128-bit jti and no nbf by default', async () => {
    const key = await keyFor('ES256');
    const a = decodeJwt(await sign({}, { key, expiresIn: 60 }));
    const b = decodeJwt(await sign({}, { key, expiresIn: 60 }));
    expect(a).toEqual({ iat: IAT, exp: IAT + 60, jti: expect.stringMatching(/^[\w-]{22}$/) });
    expect(a.jti).not.toBe(b.jti);
  });

  it('sets nbf to now or to a delay after iat when asked', async () => {
    const key = await keyFor('ES256');
    expect(decodeJwt(await sign({}, { key, expiresIn: 60, notBefore: true })).nbf).toBe(IAT);
    expect(decodeJwt(await sign({}, { key, expiresIn: '1h', notBefore: '5m' })).nbf).toBe(
      IAT + 300,
    );
  });

  it('uses the given jti, or none with jwtId: false', async () => {
    const key = await keyFor('ES256');
    expect(decodeJwt(await sign({}, { key, expiresIn: 60, jwtId: 'id-1' })).jti).toBe('id-1');
    expect(decodeJwt(await sign({}, { key, expiresIn: 60, jwtId: false }))).not.toHaveProperty(
      'jti',
    );
    expect(decodeJwt(await sign({ jti: 'mine' }, { key, expiresIn: 60 })).jti).toBe('mine');
  });

  it('writes at+jwt by default and a distinct typ for other kinds (RFC 8725 §3.11)', async () => {
    const key = await keyFor('ES256');
    expect(ACCESS_TOKEN_TYP).toBe('at+jwt');
    const refresh = await sign({}, { key, expiresIn: '30d', typ: 'refresh+jwt' });
    expect(decodeProtectedHeader(refresh).typ).toBe('refresh+jwt');
    await expect(
      jwtVerify(refresh, createLocalJWKSet(createKeyRing(key).jwks()), { typ: 'at+jwt' }),
    ).rejects.toThrow(/typ/);
  });

  it('accepts an audience list and claims from the claims object', async () => {
    const key = await keyFor('ES256');
    const claims = decodeJwt(
      await sign({ iss: 'i', sub: 's' }, { key, expiresIn: 60, audience: ['a', 'b'] }),
    );
    expect(claims).toMatchObject({ iss: 'i', sub: 's', aud: ['a', 'b'] });
  });

  it('refuses to sign without an expiry unless explicitly told', async () => {
    const key = await keyFor('ES256');
    await expect(sign({}, { key } as never)).rejects.toThrow(/"expiresIn" is required/);
    await expect(sign({}, { key, expiresIn: false })).rejects.toThrow(/allowNoExpiry/);
    const token = await sign({}, { key, expiresIn: false, allowNoExpiry: true });
    expect(decodeJwt(token)).not.toHaveProperty('exp');
  });

  it.each([
    0,
    -5,
    1.5,
    '15 parsecs',
    '',
    'm',
    Number.NaN,
    null,
  ])('refuses the lifetime %s with a TypeError', async (expiresIn) => {
    const key = await keyFor('ES256');
    await expect(sign({}, { key, expiresIn: expiresIn as never })).rejects.toThrow(TypeError);
  });

  it('refuses time claims in the claims object and claims given twice', async () => {
    const key = await keyFor('ES256');
    await expect(sign({ exp: 1 }, { key, expiresIn: 60 })).rejects.toThrow(/Set "exp" through/);
    await expect(sign({ iat: 1 }, { key, expiresIn: 60 })).rejects.toThrow(TypeError);
    await expect(sign({ nbf: 1 }, { key, expiresIn: 60 })).rejects.toThrow(TypeError);
    await expect(sign({ sub: 'a' }, { key, expiresIn: 60, subject: 'b' })).rejects.toThrow(
      /both in the claims and as an option/,
    );
  });

  it('refuses bad claims, keys, audiences and typ with a TypeError', async () => {
    const key = await keyFor('ES256');
    await expect(sign(null as never, { key, expiresIn: 60 })).rejects.toThrow(/plain object/);
    await expect(sign([] as never, { key, expiresIn: 60 })).rejects.toThrow(/plain object/);
    await expect(sign({}, { key: {} as never, expiresIn: 60 })).rejects.toThrow(/"key" must be/);
    await expect(sign({}, { key, expiresIn: 60, audience: [] })).rejects.toThrow(/"aud"/);
    await expect(sign({}, { key, expiresIn: 60, issuer: '' })).rejects.toThrow(/"iss"/);
    await expect(sign({}, { key, expiresIn: 60, typ: '' })).rejects.toThrow(/"typ"/);
    await expect(sign({}, undefined as never)).rejects.toThrow(/Options are required/);
    await expect(sign({}, { key, expiresIn: 60, ttl: 5 } as never)).rejects.toThrow(
      /Unknown option "ttl"/,
    );
    await expect(sign({ n: 10n } as never, { key, expiresIn: 60 })).rejects.toThrow(
      /claims are JSON/,
    );
  });

  it('refuses to sign with a verification-only key', async () => {
    const { publicJwk } = await keyFor('ES256');
    const { importSigningKey } = await import('./keys.js');
    const pub = await importSigningKey({ ...publicJwk!, alg: undefined }, 'ES256');
    await expect(sign({}, { key: pub, expiresIn: 60 })).rejects.toThrow(
      /"key" must be a private key/,
    );
  });
});
