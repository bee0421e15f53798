// The steps that answer without a promise (three segments straight to the parser, keys and
// cache entries in memory) must give exactly the verdicts of the awaited path.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenCache } from './cache.js';
import { MalformedTokenError, TokenExpiredError } from './errors.js';
import { createSecretKeySource, createStaticKeySource } from './keys/index.js';
import { createVerifier as createNodeVerifier } from './node/index.js';
import { createVerifier } from './verifier.js';

const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
const other = new TextEncoder().encode('another-shared-secret-of-32-bytes-or-more');
const NOW = 1_800_000_000;
const mint = (exp = NOW + 60) =>
  new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('https://id.example/')
    .setExpirationTime(exp)
    .sign(secret);

afterEach(() => vi.useRealTimers());

describe.each([
  ['Web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('straight to the parser, %s', (_name, create) => {
  for (const cache of [false, true]) {
    it(`reports a bad alphabet before a disallowed algorithm (cache ${cache})`, async () => {
      vi.useFakeTimers({ now: NOW * 1000 });
      const verifier = create({ secret, issuer: 'https://id.example/', audience: false, cache });
      const [h, p, s] = (await mint()).split('.') as [string, string, string];
      const rs = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
      await expect(verifier.verify(`${rs}.${p}.${s}=`)).rejects.toBeInstanceOf(MalformedTokenError);
      await expect(verifier.verify(`${h}.${p}.${s}=`)).rejects.toBeInstanceOf(MalformedTokenError);
      await expect(verifier.verify(`${h}.${p}.${s}`)).resolves.toMatchObject({
        claims: { scope: 'read' },
      });
    });
  }

  it('returns a rejected promise for any bad input instead of throwing', () => {
    const verifier = create({ issuer: 'https://id.example/', audience: false, secret });
    for (const bad of [undefined, 42, '', 'a.b', 'a.b.c.d']) {
      const result = verifier.verify(bad as string);
      expect(result).toBeInstanceOf(Promise);
      result.catch(() => {});
    }
  });

  it('re-checks expiry on a cache hit', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = create({
      issuer: 'https://id.example/',
      audience: false,
      secret,
      cache: true,
    });
    const token = await mint(NOW + 10);
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toEqual(first);
    vi.setSystemTime((NOW + 20) * 1000);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenExpiredError);
  });
});

describe('synchronous key lookups', () => {
  it('gives the secrets of a kid, else the kid-less ones, without a promise', () => {
    const source = createSecretKeySource({ secret: [{ kid: 'a', secret }, other] });
    expect(source.getKeyNow?.({ alg: 'HS256', kid: 'a' }, {})).toEqual([secret]);
    expect(source.getKeyNow?.({ alg: 'HS256', kid: 'zzz' }, {})).toEqual([other]);
    expect(source.getKeyNow?.({ alg: 'HS256' }, {})).toEqual([secret, other]);
  });

  it('answers a static JWK only once its import finished', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const source = createStaticKeySource({ keys: { ...(await exportJWK(publicKey)), kid: 'k' } });
    const header = { alg: 'ES256', kid: 'k' };
    expect(source.getKeyNow?.(header, {})).toBeUndefined();
    const keys = await source.getKey(header, {});
    expect(source.getKeyNow?.(header, {})).toEqual(keys);
  });
});

describe('synchronous cache lookups', () => {
  it('answers without a promise when the cache key is synchronous', () => {
    const cache = createTokenCache({ now: () => 0 }, (token) => `k:${token}`);
    const auth = {
      token: 't',
      header: { alg: 'HS256' },
      claims: { exp: 60 },
      scopes: new Set<string>(),
    };
    expect(cache.get('t')).toBeUndefined();
    expect(cache.set('t', auth)).toBeUndefined();
    expect(cache.get('t')).toMatchObject({ token: 't', claims: { exp: 60 } });
  });
});
