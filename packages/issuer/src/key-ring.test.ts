import { createLocalJWKSet, exportSPKI, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyRing } from './key-ring.js';
import { generateSigningKey, importSigningKey, SIGNING_ALGORITHMS } from './keys.js';
import { sign } from './sign.js';
import { ASYMMETRIC, keyFor, PRIVATE_MEMBERS } from './test-support/keys.js';

afterEach(() => {
  vi.useRealTimers();
});

const verifyWith = (ring: ReturnType<typeof createKeyRing>, token: string) =>
  jwtVerify(token, createLocalJWKSet(ring.jwks()));

describe('createKeyRing', () => {
  it('publishes no private material for any key type, and never an HS secret', async () => {
    const keys = await Promise.all(SIGNING_ALGORITHMS.map((alg) => keyFor(alg)));
    const ring = createKeyRing(keys[0]!, { previous: keys.slice(1) });
    const { keys: published } = ring.jwks();
    expect(published.map((k) => k.alg).sort()).toEqual([...ASYMMETRIC].sort());
    for (const jwk of published) {
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
      expect(jwk).toMatchObject({ use: 'sig', kid: expect.any(String) });
    }
    const text = JSON.stringify(ring.jwks());
    for (const member of PRIVATE_MEMBERS) expect(text).not.toContain(`"${member}"`);
  });

  it('returns a fresh JWK Set each time, so callers cannot alter the ring', async () => {
    const ring = createKeyRing(await keyFor('ES256'));
    const set = ring.jwks();
    set.keys[0]!.d = 'tampered';
    set.keys.push({ kty: 'EC' });
    expect(ring.jwks().keys).toHaveLength(1);
    expect(ring.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('signs with the new key after rotate and keeps old tokens verifying until retired', async () => {
    const first = await generateSigningKey('ES256');
    const second = await generateSigningKey('ES256');
    const ring = createKeyRing(first);
    const old = await sign({}, { key: ring, expiresIn: '15m' });
    ring.rotate(second);
    expect(ring.current).toBe(second);
    const fresh = await sign({}, { key: ring, expiresIn: '15m' });
    expect((await verifyWith(ring, fresh)).protectedHeader.kid).toBe(second.kid);
    expect((await verifyWith(ring, old)).protectedHeader.kid).toBe(first.kid);
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual([second.kid, first.kid]);

    expect(ring.retire(first.kid)).toBe(true);
    await expect(verifyWith(ring, old)).rejects.toThrow(/no applicable key/);
    await expect(verifyWith(ring, fresh)).resolves.toBeDefined();
    expect(ring.retire(first.kid)).toBe(false);
  });

  it('stops publishing a rotated-out key once retireAfter has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const first = await generateSigningKey('EdDSA');
    const ring = createKeyRing(first);
    const old = await sign({}, { key: ring, expiresIn: '15m' });
    ring.rotate(await generateSigningKey('EdDSA'), { retireAfter: '1h' });
    vi.setSystemTime(new Date('2026-01-01T00:59:59Z'));
    expect(ring.keys()).toHaveLength(2);
    vi.setSystemTime(new Date('2026-01-01T01:00:00Z'));
    expect(ring.keys()).toEqual([ring.current]);
    expect(ring.jwks().keys.map((k) => k.kid)).not.toContain(first.kid);
    await expect(verifyWith(ring, old)).rejects.toThrow();
  });

  it('never retires the current key', async () => {
    const ring = createKeyRing(await keyFor('ES256'));
    expect(ring.retire(ring.current.kid)).toBe(false);
    expect(ring.jwks().keys).toHaveLength(1);
  });

  it('publishes a verification-only SPKI key given as previous', async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const pub = await importSigningKey(await exportSPKI(pair.publicKey), 'RS256');
    const ring = createKeyRing(await keyFor('ES256'), { previous: [pub] });
    expect(ring.jwks().keys.map((k) => k.kid)).toContain(pub.kid);
  });

  it('refuses a public key as current, a duplicate kid and a non-key with a TypeError', async () => {
    const key = await keyFor('ES256');
    const pub = await importSigningKey({ ...key.publicJwk! }, 'ES256');
    expect(() => createKeyRing(pub)).toThrow(/must be a private key/);
    expect(() => createKeyRing(undefined as never)).toThrow(TypeError);
    expect(() => createKeyRing(key, { previous: [pub] })).toThrow(/Duplicate key ID/);
    const ring = createKeyRing(key);
    expect(() => ring.rotate(key)).toThrow(/Duplicate key ID/);
    expect(() => ring.rotate(pub)).toThrow(/must be a private key/);
    expect(() => ring.rotate({} as never)).toThrow(TypeError);
    const other = await generateSigningKey('ES256');
    expect(() => ring.rotate(other, { retireAfter: 'soon' })).toThrow(/retireAfter/);
    expect(ring.current).toBe(key);
  });
});
