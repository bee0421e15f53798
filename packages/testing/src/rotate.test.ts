import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ algorithms: ['ES256', 'EdDSA'] });
});
afterAll(() => issuer.close());

const kids = () => issuer.jwks().keys.map((k) => k.kid);

describe('key rotation', () => {
  it('makes a new key current and keeps publishing the old one until retired', async () => {
    const before = await issuer.mint({}, { alg: 'ES256' });
    const [next] = await issuer.rotate('ES256');
    expect(next?.kid).toBe('es256-2');
    expect(issuer.currentKey('ES256').kid).toBe('es256-2');
    expect(kids()).toEqual(['es256-1', 'eddsa-1', 'es256-2']);
    const jwks = createLocalJWKSet(issuer.jwks());
    await expect(jwtVerify(before, jwks)).resolves.toBeTruthy();

    issuer.retire();
    expect(kids()).toEqual(['eddsa-1', 'es256-2']);
    await expect(jwtVerify(before, createLocalJWKSet(issuer.jwks()))).rejects.toThrow();
    await expect(
      jwtVerify(await issuer.mint({}, { alg: 'ES256' }), createLocalJWKSet(issuer.jwks())),
    ).resolves.toBeTruthy();
  });

  it('rotates every algorithm at once and retires one kid at a time', async () => {
    const rotated = await issuer.rotate();
    expect(rotated.map((k) => k.kid)).toEqual(['es256-3', 'eddsa-2']);
    issuer.retire('eddsa-1');
    expect(kids()).toEqual(['es256-2', 'es256-3', 'eddsa-2']);
    issuer.retire('es256-3');
    expect(kids()).toContain('es256-3');
  });

  it('serves the rotated set over HTTP', async () => {
    const res = await fetch(issuer.jwksUri);
    const body = (await res.json()) as { keys: { kid: string; use: string; d?: string }[] };
    expect(body.keys.map((k) => k.kid)).toEqual(kids());
    expect(body.keys.every((k) => k.use === 'sig' && k.d === undefined)).toBe(true);
  });

  it('refuses to rotate an algorithm it has no key for', async () => {
    await expect(issuer.rotate('RS256')).rejects.toThrow(TypeError);
  });
});
