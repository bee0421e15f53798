import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseMaxAge } from './jwks-fetch.js';
import { importJwkSet, selectKeys } from './jwks-keys.js';
import { isLoopbackHost, toFetchUrl } from './url.js';

const U = 'https://id.example.com/jwks.json';

async function ecJwk(extra: Record<string, unknown> = {}) {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), ...extra };
}

describe('JWK Set import and key selection', () => {
  it('never uses keys marked for encryption or without the verify operation', async () => {
    const keys = await importJwkSet(
      {
        keys: [
          await ecJwk({ kid: 'enc', use: 'enc' }),
          await ecJwk({ kid: 'ops', key_ops: ['encrypt'] }),
          await ecJwk({ kid: 'sig', use: 'sig', key_ops: ['verify'] }),
        ],
      },
      ['ES256'],
      U,
    );
    expect(keys.map((k) => k.kid)).toEqual(['sig']);
    expect(selectKeys(keys, { alg: 'ES256', kid: 'enc' })).toEqual({ kind: 'unknown-kid' });
  });

  it('skips private keys, secrets and keys whose alg or curve does not fit', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const keys = await importJwkSet(
      {
        keys: [
          { ...(await exportJWK(privateKey)), kid: 'private' },
          { kty: 'oct', k: 'c2VjcmV0', kid: 'secret' },
          await ecJwk({ kid: 'rs', alg: 'RS256' }),
          await ecJwk({ kid: 'good' }),
        ],
      },
      ['ES256', 'ES384', 'HS256'],
      U,
    );
    expect(keys.map((k) => k.kid)).toEqual(['good']);
    expect([...(keys[0]?.byAlg.keys() ?? [])]).toEqual(['ES256']);
  });

  it('refuses a body that is not a JWK Set or holds no usable key', async () => {
    const notSet = { url: U, failure: { kind: 'not-jwk-set' } };
    await expect(importJwkSet({ nope: [] }, ['ES256'], U)).rejects.toMatchObject(notSet);
    await expect(importJwkSet({ keys: 'x' }, ['ES256'], U)).rejects.toMatchObject(notSet);
    await expect(
      importJwkSet({ keys: [null, 1, 'x', { kty: 'EC' }] }, ['ES256'], U),
    ).rejects.toMatchObject({ url: U, failure: { kind: 'no-usable-key' } });
  });

  it('selects by kid then alg, and offers every fitting key when the token has no kid', async () => {
    const keys = await importJwkSet(
      { keys: [await ecJwk({ kid: 'a' }), await ecJwk({ kid: 'b' })] },
      ['ES256'],
      U,
    );
    const byKid = selectKeys(keys, { alg: 'ES256', kid: 'b' });
    expect(byKid.kind === 'found' && byKid.keys.length).toBe(1);
    const noKid = selectKeys(keys, { alg: 'ES256' });
    expect(noKid.kind === 'found' && noKid.keys.length).toBe(2);
    expect(selectKeys(keys, { alg: 'ES384', kid: 'a' })).toEqual({ kind: 'no-alg-match' });
    expect(selectKeys(keys, { alg: 'ES256', kid: 'zzz' })).toEqual({ kind: 'unknown-kid' });
  });

  it('ignores jku, x5u, jwk and x5c in the token header', async () => {
    const keys = await importJwkSet({ keys: [await ecJwk({ kid: 'a' })] }, ['ES256'], U);
    const embedded = await ecJwk({ kid: 'evil' });
    const header = {
      alg: 'ES256',
      kid: 'evil',
      jwk: embedded,
      jku: 'https://evil/',
      x5u: 'https://evil/',
    };
    expect(selectKeys(keys, header as never)).toEqual({ kind: 'unknown-kid' });
  });
});

describe('URL rules', () => {
  it('accepts https and loopback http, refuses other http at construction', () => {
    expect(toFetchUrl('https://id.example.com/jwks', 'jwksUri').href).toBe(
      'https://id.example.com/jwks',
    );
    for (const ok of [
      'http://127.0.0.1:9/j',
      'http://127.9.9.9/j',
      'http://[::1]/j',
      'http://localhost/j',
    ]) {
      expect(toFetchUrl(ok, 'jwksUri').protocol).toBe('http:');
    }
    expect(() => toFetchUrl('http://id.example.com/jwks', 'jwksUri')).toThrow(TypeError);
    expect(() => toFetchUrl('http://127.0.0.1.evil.com/', 'jwksUri')).toThrow(/https/);
    expect(toFetchUrl('http://id.example.com/', 'jwksUri', true).protocol).toBe('http:');
    expect(() => toFetchUrl('ftp://id.example.com/', 'jwksUri', true)).toThrow(TypeError);
    expect(() => toFetchUrl('not a url', 'jwksUri')).toThrow(/absolute URL/);
    expect(() => toFetchUrl('https://u:p@id.example.com/', 'jwksUri')).toThrow(/credentials/);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('Cache-Control parsing', () => {
  it('reads max-age and treats no-store / no-cache as zero', () => {
    expect(parseMaxAge('public, max-age=300')).toBe(300_000);
    expect(parseMaxAge('max-age=60, must-revalidate')).toBe(60_000);
    expect(parseMaxAge('no-store')).toBe(0);
    expect(parseMaxAge('private')).toBeUndefined();
    expect(parseMaxAge(null)).toBeUndefined();
    expect(parseMaxAge('s-maxage=10')).toBeUndefined();
  });
});
