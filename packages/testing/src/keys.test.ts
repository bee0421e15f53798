import { importSPKI } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateTestKey, publicKeyPem, randomSecret } from './index.js';

describe('test keys', () => {
  it('exports the public key as PEM SPKI that jose can import', async () => {
    const key = await generateTestKey('RS256', 'k1');
    const pem = await publicKeyPem(key);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    await expect(importSPKI(pem, 'RS256')).resolves.toBeTruthy();
  });

  it('publishes only public members with kid, alg and use', async () => {
    const { publicJwk } = await generateTestKey('EdDSA', 'ed');
    expect(publicJwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      kid: 'ed',
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(publicJwk.d).toBeUndefined();
  });

  it('refuses an algorithm it cannot generate with a TypeError', async () => {
    await expect(generateTestKey('PS256' as never, 'x')).rejects.toThrow(
      /unsupported algorithm "PS256"/,
    );
  });

  it('makes a different 256-bit secret each time', () => {
    const [a, b] = [randomSecret(), randomSecret()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});
