import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  jwtVerify,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { createDpopKey } from './dpop.js';

const sha256 = async (text: string) =>
  base64url.encode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))),
  );

describe('createDpopKey', () => {
  it('signs proofs with the public key in the header, bound to the request', async () => {
    const key = await createDpopKey();
    const proof = await key.proof('POST', 'https://api.example/things?page=2#top', {
      accessToken: 'at-1',
      nonce: 'n-1',
    });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(protectedHeader.jwk).toEqual(key.publicJwk);
    expect(protectedHeader.jwk).not.toHaveProperty('d');
    expect(payload).toMatchObject({
      htm: 'POST',
      htu: 'https://api.example/things',
      ath: await sha256('at-1'),
      nonce: 'n-1',
    });
    expect(typeof payload.jti).toBe('string');
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(key.jkt).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
  });

  it('gives every proof a fresh jti and no ath without an access token', async () => {
    const key = await createDpopKey('EdDSA');
    const [a, b] = await Promise.all([
      key.proof('GET', 'https://api.example/'),
      key.proof('GET', 'https://api.example/'),
    ]);
    const first = (await jwtVerify(a, EmbeddedJWK)).payload;
    const second = (await jwtVerify(b, EmbeddedJWK)).payload;
    expect(first.jti).not.toBe(second.jti);
    expect(first).not.toHaveProperty('ath');
    expect(first).not.toHaveProperty('nonce');
  });

  it('makes the proofs an API must refuse, field by field', async () => {
    const key = await createDpopKey();
    const stale = await key.proof('GET', 'https://api.example/', {
      iat: 1_000,
      jti: 'fixed',
      ath: 'x',
    });
    const { payload } = await jwtVerify(stale, EmbeddedJWK, { currentDate: new Date(1_000_000) });
    expect(payload).toMatchObject({ iat: 1_000, jti: 'fixed', ath: 'x' });
    const untyped = await key.proof('GET', 'https://api.example/', { header: { typ: undefined } });
    expect(decodeProtectedHeader(untyped)).not.toHaveProperty('typ');
    const other = await createDpopKey();
    const swapped = await key.proof('GET', 'https://api.example/', {
      header: { jwk: other.publicJwk },
    });
    await expect(jwtVerify(swapped, EmbeddedJWK)).rejects.toThrow();
  });
});
