// RFC 9449 §4.3: every check a DPoP proof goes through, each with the input that must fail it.
import { base64url, CompactSign, exportJWK, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DpopProofReplayedError,
  InvalidDpopProofError,
  StoreUnavailableError,
  TokenBindingError,
  UseDpopNonceError,
} from '../errors.js';
import { athOf, type DpopKey, dpopKey, proof } from '../test-support/dpop.js';
import { b64 } from '../test-support/tokens.js';
import { normalUri } from './htu.js';
import { createDpopProofVerifier } from './proof.js';
import { createProofChecker } from './proof-check.js';
import { MemoryReplayStore } from './replay.js';
import type { ReplayStore } from './types.js';

const NOW = 1_800_000_000;
const URI = 'https://api.example.com/things';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';

let es256: DpopKey;
let other: DpopKey;

beforeAll(async () => {
  es256 = await dpopKey('ES256');
  other = await dpopKey('ES256');
});
beforeEach(() => vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

const rejection = async (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error as Error,
  );

/** The message of an InvalidDpopProofError the verification rejects with. */
async function invalidBecause(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidDpopProofError);
  expect(error).not.toBeInstanceOf(DpopProofReplayedError);
  return error.message;
}

const input = (text: string | readonly string[] | undefined, extra: object = {}) => ({
  proof: text,
  method: 'GET',
  uri: URI,
  ...extra,
});

describe('createDpopProofVerifier: a valid proof', () => {
  it('resolves to its key thumbprint, key, jti and iat', async () => {
    const proofs = createDpopProofVerifier();
    const text = await proof(es256, { htm: 'GET', htu: URI, jti: 'one' });
    const verified = await proofs.verify(input(text));
    expect(verified).toEqual({ jkt: es256.jkt, jwk: es256.jwk, jti: 'one', iat: NOW });
    expect(Object.isFrozen(verified)).toBe(true);
    expect(await proofs.currentNonce()).toBeUndefined();
  });

  it('accepts every default algorithm with its key type', async () => {
    const proofs = createDpopProofVerifier();
    for (const alg of ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA', 'Ed25519']) {
      const key = await dpopKey(alg);
      const verified = await proofs.verify(input(await proof(key, { htm: 'GET', htu: URI })));
      expect(verified.jkt).toBe(key.jkt);
    }
  });

  it('checks ath against the access token at a resource server', async () => {
    const proofs = createDpopProofVerifier();
    const text = await proof(es256, { htm: 'GET', htu: URI, ath: await athOf(TOKEN) });
    expect((await proofs.verify(input(text, { accessToken: TOKEN }))).jkt).toBe(es256.jkt);
  });

  it('ignores ath at a token endpoint, where no access token comes with the proof', async () => {
    const proofs = createDpopProofVerifier();
    const text = await proof(es256, { htm: 'POST', htu: URI, ath: 'whatever' });
    expect((await proofs.verify(input(text, { method: 'POST' }))).jkt).toBe(es256.jkt);
  });

  it('ignores a nonce when nonces are off, and unknown claims', async () => {
    const proofs = createDpopProofVerifier();
    const text = await proof(es256, { htm: 'GET', htu: URI, nonce: 'n', claims: { extra: 1 } });
    expect((await proofs.verify(input(text))).jkt).toBe(es256.jkt);
  });

  it('accepts iat at the edges of the window, clock tolerance included', async () => {
    const proofs = createDpopProofVerifier({ maxAge: 60, clockTolerance: 5 });
    for (const iat of [NOW - 65, NOW + 5])
      expect(
        (await proofs.verify(input(await proof(es256, { htm: 'GET', htu: URI, iat })))).iat,
      ).toBe(iat);
  });
});

describe('createDpopProofVerifier: the DPoP header', () => {
  const proofs = () => createDpopProofVerifier();

  it('refuses a request without a proof', async () => {
    expect(await invalidBecause(proofs().verify(input(undefined)))).toMatch(/missing/);
    expect(await invalidBecause(proofs().verify(input([])))).toMatch(/missing/);
    expect(await invalidBecause(proofs().verify(input('  ')))).toMatch(/empty/);
  });

  it('refuses two DPoP headers, as two lines or folded into one', async () => {
    const a = await proof(es256, { htm: 'GET', htu: URI });
    const b = await proof(es256, { htm: 'GET', htu: URI });
    expect(await invalidBecause(proofs().verify(input([a, b])))).toMatch(/exactly one/);
    expect(await invalidBecause(proofs().verify(input(`${a}, ${b}`)))).toMatch(/exactly one/);
    expect(await invalidBecause(proofs().verify(input([a, a])))).toMatch(/exactly one/);
  });

  it('refuses a proof larger than 8192 characters before parsing it', async () => {
    const huge = `${'a'.repeat(8000)}.${'b'.repeat(200)}.c`;
    expect(await invalidBecause(proofs().verify(input(huge)))).toMatch(/larger than 8192/);
  });

  it('refuses what is not a compact JWS', async () => {
    const text = await proof(es256, { htm: 'GET', htu: URI });
    const [h, p, s] = text.split('.') as [string, string, string];
    for (const bad of [
      'abc',
      `${h}.${p}`,
      `${h}.${p}.${s}.x`,
      `${h}..${s}`,
      `${h}.${p}.`,
      `${h}.${p}.${s}=`,
      `${h}.${p}+.${s}`,
    ])
      expect(await invalidBecause(proofs().verify(input(bad)))).toMatch(/compact JWS/);
    const notJson = `${b64('not json')}.${p}.${s}`;
    expect(await invalidBecause(proofs().verify(input(notJson)))).toMatch(
      /header is not a JSON object/,
    );
    const array = `${b64([1])}.${p}.${s}`;
    expect(await invalidBecause(proofs().verify(input(array)))).toMatch(
      /header is not a JSON object/,
    );
  });

  it('never echoes the proof in its message', async () => {
    const text = await proof(es256, { htm: 'POST', htu: URI });
    const message = await invalidBecause(proofs().verify(input(text)));
    expect(message).not.toContain(text.slice(0, 20));
  });
});

describe('createDpopProofVerifier: the header', () => {
  const proofs = () => createDpopProofVerifier();

  it('refuses a typ other than dpop+jwt', async () => {
    for (const typ of ['JWT', 'DPOP+JWT', 'application/dpop+jwt', undefined]) {
      const text = await proof(es256, { htm: 'GET', htu: URI, header: { typ } });
      expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/"typ"/);
    }
  });

  it('refuses alg none, a symmetric alg, and an asymmetric one off the allow-list', async () => {
    const header = (alg: string) => ({ typ: 'dpop+jwt', alg, jwk: es256.jwk });
    const claims = { htm: 'GET', htu: URI, jti: 'x', iat: NOW };
    const none = `${b64(header('none'))}.${b64(claims)}.`;
    expect(await invalidBecause(proofs().verify(input(none)))).toMatch(/compact JWS/);
    const noneSigned = `${b64(header('none'))}.${b64(claims)}.AAAA`;
    expect(await invalidBecause(proofs().verify(input(noneSigned)))).toMatch(/"alg"/);
    const secret = new TextEncoder().encode('a-secret-of-at-least-thirty-two-bytes!!');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({
        typ: 'dpop+jwt',
        alg: 'HS256',
        // A symmetric key in the header, which jose's types (rightly) do not allow.
        jwk: { kty: 'oct', k: base64url.encode(secret) } as never,
      })
      .sign(secret);
    expect(await invalidBecause(proofs().verify(input(hs)))).toMatch(/"alg"/);
    const only = createDpopProofVerifier({ algorithms: ['EdDSA'] });
    const es = await proof(es256, { htm: 'GET', htu: URI });
    expect(await invalidBecause(only.verify(input(es)))).toMatch(/"alg"/);
  });

  it('refuses a proof without a jwk header', async () => {
    const text = await proof(es256, { htm: 'GET', htu: URI, header: { jwk: undefined } });
    expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/missing/);
    const notObject = await proof(es256, { htm: 'GET', htu: URI, header: { jwk: 'key' } });
    expect(await invalidBecause(proofs().verify(input(notObject)))).toMatch(/missing/);
  });

  it('refuses a private key in the jwk header, EC, RSA and OKP alike', async () => {
    const ec = await proof(es256, { htm: 'GET', htu: URI, header: { jwk: es256.privateJwk } });
    expect(await invalidBecause(proofs().verify(input(ec)))).toMatch(/private/);
    const rsa = await dpopKey('PS256');
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      const jwk = { ...rsa.jwk, [member]: rsa.privateJwk[member as 'd'] };
      const text = await proof(rsa, { htm: 'GET', htu: URI, header: { jwk } });
      expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/private/);
    }
    const ed = await dpopKey('Ed25519');
    const okp = await proof(ed, { htm: 'GET', htu: URI, header: { jwk: ed.privateJwk } });
    expect(await invalidBecause(proofs().verify(input(okp)))).toMatch(/private/);
  });

  it('refuses a symmetric (oct) key in the jwk header', async () => {
    const text = await proof(es256, {
      htm: 'GET',
      htu: URI,
      header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } },
    });
    expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/private or symmetric/);
    const noK = await proof(es256, { htm: 'GET', htu: URI, header: { jwk: { kty: 'oct' } } });
    expect(await invalidBecause(proofs().verify(input(noK)))).toMatch(/type must be EC/);
  });

  // Refused before the signature is checked: the signature part is a placeholder.
  const unsigned = (header: Record<string, unknown>) =>
    `${b64({ typ: 'dpop+jwt', ...header })}.${b64({ htm: 'GET', htu: URI, jti: 'x', iat: NOW })}.AAAA`;

  it('refuses a jwk that does not fit the alg', async () => {
    const rsa = await dpopKey('RS256');
    const p384 = await dpopKey('ES384');
    const ed = await dpopKey('Ed25519');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ alg: 'RS256', jwk: es256.jwk }, /type must be RSA/],
      [{ alg: 'ES256', jwk: rsa.jwk }, /type must be EC/],
      [{ alg: 'ES256', jwk: p384.jwk }, /curve must be P-256/],
      [{ alg: 'ES512', jwk: es256.jwk }, /curve must be P-521/],
      [{ alg: 'EdDSA', jwk: es256.jwk }, /type must be OKP/],
      [{ alg: 'Ed25519', jwk: { ...ed.jwk, crv: 'Ed448' } }, /curve must be Ed25519/],
      [{ alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: es256.jwk.x } }, /lacks its "y"/],
      [{ alg: 'RS256', jwk: { kty: 'RSA', n: rsa.jwk.n, e: 42 } }, /lacks its "e"/],
    ];
    for (const [header, why] of cases)
      expect(await invalidBecause(proofs().verify(input(unsigned(header))))).toMatch(why);
  });

  it('refuses an RSA key under 2048 bits', async () => {
    const { publicKey } = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const jwk = await exportJWK(publicKey);
    expect(await invalidBecause(proofs().verify(input(unsigned({ alg: 'RS256', jwk }))))).toMatch(
      /at least 2048 bits/,
    );
    const zeros = { kty: 'RSA', e: 'AQAB', n: base64url.encode(new Uint8Array(300)) };
    expect(
      await invalidBecause(proofs().verify(input(unsigned({ alg: 'RS256', jwk: zeros })))),
    ).toMatch(/2048 bits/);
    const notBase64 = { kty: 'RSA', e: 'AQAB', n: '!!!' };
    expect(
      await invalidBecause(proofs().verify(input(unsigned({ alg: 'RS256', jwk: notBase64 })))),
    ).toMatch(/2048 bits/);
  });

  it('refuses a jwk whose members are no valid key', async () => {
    const jwk = { ...es256.jwk, x: base64url.encode(new Uint8Array(32)) };
    const text = await proof(es256, { htm: 'GET', htu: URI, header: { jwk } });
    expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/not a valid key|signature/);
  });
});

describe('createDpopProofVerifier: the signature and claims', () => {
  const proofs = () => createDpopProofVerifier();

  it('refuses a proof signed by another key than the one in its header', async () => {
    const text = await proof(other, { htm: 'GET', htu: URI, header: { jwk: es256.jwk } });
    expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/signature is invalid/);
  });

  it('refuses a proof whose claims were changed after signing', async () => {
    const text = await proof(es256, { htm: 'GET', htu: URI });
    const [h, , s] = text.split('.') as [string, string, string];
    const forged = `${h}.${b64({ htm: 'GET', htu: URI, jti: 'x', iat: NOW })}.${s}`;
    expect(await invalidBecause(proofs().verify(input(forged)))).toMatch(/signature is invalid/);
  });

  it('refuses claims that are not a JSON object', async () => {
    for (const payload of ['[1,2]', '"text"', 'null', '42', 'not json']) {
      const text = await new CompactSign(new TextEncoder().encode(payload))
        .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: es256.jwk })
        .sign(es256.privateKey);
      expect(await invalidBecause(proofs().verify(input(text)))).toMatch(
        /claims are not a JSON object/,
      );
    }
  });

  it('refuses a missing, empty, non-string or overlong jti', async () => {
    for (const jti of [undefined, '', 42, 'x'.repeat(257)]) {
      const text = await proof(es256, { htm: 'GET', htu: URI, jti });
      expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/"jti"/);
    }
    const longest = await proof(es256, { htm: 'GET', htu: URI, jti: 'x'.repeat(256) });
    expect((await proofs().verify(input(longest))).jti).toHaveLength(256);
  });

  it('refuses a proof for another method, or none', async () => {
    for (const htm of ['POST', 'get', undefined, ['GET']]) {
      const text = await proof(es256, { htm, htu: URI });
      expect(await invalidBecause(proofs().verify(input(text)))).toMatch(/another method/);
    }
  });

  it('refuses a missing, stale or future iat', async () => {
    const verifier = createDpopProofVerifier({ maxAge: 60, clockTolerance: 5 });
    const cases: [unknown, RegExp][] = [
      [undefined, /"iat" must be a number/],
      ['1800000000', /"iat" must be a number/],
      [NOW - 66, /too old/],
      [NOW + 6, /in the future/],
    ];
    for (const [iat, why] of cases) {
      const text = await proof(es256, { htm: 'GET', htu: URI, iat });
      expect(await invalidBecause(verifier.verify(input(text)))).toMatch(why);
    }
  });

  it('refuses a proof without ath, or with the ath of another token, beside an access token', async () => {
    const none = await proof(es256, { htm: 'GET', htu: URI });
    expect(await invalidBecause(proofs().verify(input(none, { accessToken: TOKEN })))).toMatch(
      /lacks the "ath"/,
    );
    const another = await proof(es256, { htm: 'GET', htu: URI, ath: await athOf(`${TOKEN}x`) });
    expect(await invalidBecause(proofs().verify(input(another, { accessToken: TOKEN })))).toMatch(
      /another access token/,
    );
  });
});

describe('createDpopProofVerifier: htu', () => {
  const passes = async (htu: string, uri: string) => {
    const text = await proof(es256, { htm: 'GET', htu });
    return createDpopProofVerifier()
      .verify(input(text, { uri }))
      .then(
        () => true,
        (error: unknown) => {
          expect(error).toBeInstanceOf(InvalidDpopProofError);
          return false;
        },
      );
  };

  it.each([
    ['https://api.example.com/things', 'https://api.example.com/things?page=2'],
    ['https://api.example.com/things?page=1#top', 'https://api.example.com/things'],
    ['HTTPS://API.EXAMPLE.COM/things', 'https://api.example.com/things'],
    ['https://api.example.com:443/things', 'https://api.example.com/things'],
    ['http://api.example.com:80/things', 'http://api.example.com/things'],
    ['https://api.example.com/%7Euser/%61', 'https://api.example.com/~user/a'],
    ['https://api.example.com/a%2fb', 'https://api.example.com/a%2Fb'],
    ['https://api.example.com/a/./b/../c', 'https://api.example.com/a/c'],
    ['https://api.example.com', 'https://api.example.com/'],
    ['https://api.example.com:8443/x', 'https://api.example.com:08443/x'],
    ['https://[::1]:8443/x', 'https://[::1]:8443/x'],
    // Characters the path grammar lacks are compared as what a client's URL parser sends.
    ['https://api.example.com/a|b', 'https://api.example.com/a%7Cb'],
  ])('matches %s with the request URI %s', async (htu, uri) => {
    expect(await passes(htu, uri)).toBe(true);
  });

  it.each([
    ['https://api.example.com/other', 'https://api.example.com/things'],
    ['https://api.example.com/Things', 'https://api.example.com/things'],
    ['http://api.example.com/things', 'https://api.example.com/things'],
    ['https://evil.example.com/things', 'https://api.example.com/things'],
    ['https://api.example.com:8443/things', 'https://api.example.com/things'],
    ['https://api.example.com/a%2Fb', 'https://api.example.com/a/b'],
    ['https://api.example.com/things/', 'https://api.example.com/things'],
    ['https://user@api.example.com/things', 'https://api.example.com/things'],
    ['https://api.example.com/%zz', 'https://api.example.com/%25zz'],
    ['ftp://api.example.com/things', 'https://api.example.com/things'],
    ['/things', 'https://api.example.com/things'],
    ['https://api.example.com:99999/x', 'https://api.example.com/x'],
    ['https://api.example.com\\things', 'https://api.example.com/things'],
  ])('refuses %s for the request URI %s', async (htu, uri) => {
    expect(await passes(htu, uri)).toBe(false);
  });

  it('refuses a non-string htu', async () => {
    const text = await proof(es256, { htm: 'GET', htu: [URI] });
    expect(await invalidBecause(createDpopProofVerifier().verify(input(text)))).toMatch(
      /another URI/,
    );
  });

  it('rejects with TypeError for a uri or method that is no request URI or method', async () => {
    const text = await proof(es256, { htm: 'GET', htu: URI });
    const proofs = createDpopProofVerifier();
    expect(await rejection(proofs.verify(input(text, { uri: '/things' })))).toBeInstanceOf(
      TypeError,
    );
    expect(await rejection(proofs.verify(input(text, { method: undefined })))).toBeInstanceOf(
      TypeError,
    );
  });
});

describe('createDpopProofVerifier: replay', () => {
  it('accepts a proof once, and refuses it again within the window', async () => {
    const proofs = createDpopProofVerifier();
    const text = await proof(es256, { htm: 'GET', htu: URI });
    await proofs.verify(input(text));
    const error = await rejection(proofs.verify(input(text)));
    expect(error).toBeInstanceOf(DpopProofReplayedError);
    expect((error as DpopProofReplayedError).code).toBe('ERR_DPOP_PROOF_REPLAYED');
  });

  it('keeps a jti per key: another key may use the same jti', async () => {
    const proofs = createDpopProofVerifier();
    await proofs.verify(input(await proof(es256, { htm: 'GET', htu: URI, jti: 'same' })));
    await proofs.verify(input(await proof(other, { htm: 'GET', htu: URI, jti: 'same' })));
    const again = await proof(es256, { htm: 'GET', htu: URI, jti: 'same' });
    expect(await rejection(proofs.verify(input(again)))).toBeInstanceOf(DpopProofReplayedError);
  });

  it('claims jkt + jti in the store until iat + maxAge + clock tolerance, under a digest key', async () => {
    const claims: [string, number][] = [];
    const replayStore: ReplayStore = {
      claim: (key, expiresAt) => claims.push([key, expiresAt]) > 0,
    };
    const proofs = createDpopProofVerifier({ maxAge: 60, clockTolerance: 5, replayStore });
    await proofs.verify(
      input(await proof(es256, { htm: 'GET', htu: URI, jti: 'the-jti', iat: NOW - 10 })),
    );
    expect(claims).toHaveLength(1);
    const [key, expiresAt] = claims[0] as [string, number];
    expect(key).toMatch(/^dpop-jti:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('the-jti');
    expect(expiresAt).toBe((NOW - 10 + 65) * 1000);
  });

  it('burns no jti when any other check fails', async () => {
    const claim = vi.fn(() => true);
    const proofs = createDpopProofVerifier({
      replayStore: { claim },
      nonce: { secret: 'n'.repeat(32) },
    });
    const failing = [
      await proof(es256, { htm: 'POST', htu: URI }),
      await proof(es256, { htm: 'GET', htu: `${URI}/x` }),
      await proof(es256, { htm: 'GET', htu: URI, iat: NOW - 3600 }),
      await proof(es256, { htm: 'GET', htu: URI, ath: 'wrong' }),
      await proof(es256, { htm: 'GET', htu: URI, ath: await athOf(TOKEN) }), // no nonce
    ];
    for (const text of failing) await rejection(proofs.verify(input(text, { accessToken: TOKEN })));
    expect(claim).not.toHaveBeenCalled();
  });

  it('lets exactly one of many concurrent verifications of one proof pass', async () => {
    const proofs = createDpopProofVerifier();
    const text = await proof(es256, { htm: 'GET', htu: URI });
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () => proofs.verify(input(text))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(24);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DpopProofReplayedError);
  });

  it('accepts a proof again once the window has passed (the store forgot it)', async () => {
    const proofs = createDpopProofVerifier({ maxAge: 60, clockTolerance: 0 });
    const text = await proof(es256, { htm: 'GET', htu: URI });
    await proofs.verify(input(text));
    vi.setSystemTime((NOW + 61) * 1000);
    // Too old by then: the store's forgetting never lets an old proof through.
    expect(await invalidBecause(proofs.verify(input(text)))).toMatch(/too old/);
  });

  it('refuses with a 503 on a store failure, never taking it for a used proof', async () => {
    const failure = new Error('store down');
    const proofs = createDpopProofVerifier({
      replayStore: { claim: () => Promise.reject(failure) },
    });
    const text = await proof(es256, { htm: 'GET', htu: URI });
    const error = await rejection(proofs.verify(input(text)));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ status: 503, cause: failure });
    // A store's own tokengate error (e.g. RedisUnavailableError) is kept as it is.
    const own = new StoreUnavailableError('redis down', { retryAfter: 9 });
    const typed = createDpopProofVerifier({ replayStore: { claim: () => Promise.reject(own) } });
    expect(await rejection(typed.verify(input(await proof(es256, { htm: 'GET', htu: URI }))))).toBe(
      own,
    );
  });
});

describe('createDpopProofVerifier: nonces', () => {
  const secret = 'a-nonce-secret-of-at-least-32-bytes!';
  const verifier = () => createDpopProofVerifier({ nonce: { secret, lifetime: 300 } });

  it('asks for the current nonce when the proof has none', async () => {
    const proofs = verifier();
    const current = await proofs.currentNonce();
    expect(current).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const error = await rejection(
      proofs.verify(input(await proof(es256, { htm: 'GET', htu: URI }))),
    );
    expect(error).toBeInstanceOf(UseDpopNonceError);
    expect((error as UseDpopNonceError).nonce).toBe(current);
    expect((error as UseDpopNonceError).headers['DPoP-Nonce']).toBe(current);
    expect(error.message).toBe('A DPoP nonce is required');
  });

  it('accepts the current nonce without a fresh one', async () => {
    const proofs = verifier();
    const nonce = await proofs.currentNonce();
    const verified = await proofs.verify(
      input(await proof(es256, { htm: 'GET', htu: URI, nonce })),
    );
    expect(verified.nonce).toBeUndefined();
  });

  it("accepts the previous step's nonce and hands out the current one", async () => {
    const proofs = verifier();
    const previous = await proofs.currentNonce();
    vi.setSystemTime((NOW + 300) * 1000);
    const current = await proofs.currentNonce();
    expect(current).not.toBe(previous);
    const verified = await proofs.verify(
      input(await proof(es256, { htm: 'GET', htu: URI, nonce: previous })),
    );
    expect(verified.nonce).toBe(current);
  });

  it('refuses a nonce two steps old, a forged one, and one of another secret', async () => {
    const proofs = verifier();
    const old = await proofs.currentNonce();
    const foreign = await createDpopProofVerifier({
      nonce: { secret: `${secret}-other` },
    }).currentNonce();
    vi.setSystemTime((NOW + 600) * 1000);
    const current = await proofs.currentNonce();
    for (const nonce of [old, foreign, `${current}x`, current?.slice(1), 42]) {
      const error = await rejection(
        proofs.verify(input(await proof(es256, { htm: 'GET', htu: URI, nonce }))),
      );
      expect(error).toBeInstanceOf(UseDpopNonceError);
      expect(error.message).toMatch(/stale or unknown/);
      expect((error as UseDpopNonceError).nonce).toBe(current);
    }
  });

  it('gives instances that share the secret the same nonces', async () => {
    const a = await verifier().currentNonce();
    const b = await createDpopProofVerifier({
      nonce: { secret: new TextEncoder().encode(secret) },
    }).currentNonce();
    expect(a).toBe(b);
  });
});

describe('createDpopProofVerifier: options', () => {
  it('throws TypeError naming the option', () => {
    const cases: [object, RegExp][] = [
      [{ algorithms: ['HS256'] }, /"algorithms": "HS256" is not an asymmetric/],
      [{ algorithms: ['none'] }, /"algorithms": "none"/],
      [{ algorithms: [] }, /"algorithms" must be a non-empty array/],
      [{ maxAge: -1 }, /"maxAge"/],
      [{ clockTolerance: 'soon' }, /"clockTolerance"/],
      [{ nonce: { secret: 'short' } }, /"nonce.secret" must be .* at least 32 bytes/],
      [{ nonce: { secret: new Uint8Array(31) } }, /"nonce.secret"/],
      [{ nonce: { secret: 42 } }, /"nonce.secret"/],
      [
        { nonce: { secret: 's'.repeat(32), lifetime: 0 } },
        /"nonce.lifetime" must be at least 1 second/,
      ],
      [{ nonce: null }, /"nonce" must be an object/],
      [{ replayStore: {} }, /"replayStore" must have a claim/],
      [{ maxAgeSeconds: 5 }, /Unknown option "maxAgeSeconds"/],
    ];
    for (const [options, message] of cases)
      expect(() => createDpopProofVerifier(options as never)).toThrow(message);
    expect(() => createDpopProofVerifier(null as never)).toThrow(/options must be an object/);
    expect(() => createDpopProofVerifier({ nonce: { secret: 's'.repeat(32) } })).not.toThrow();
  });

  it('uses one memory store per verifier by default', async () => {
    const text = await proof(es256, { htm: 'GET', htu: URI });
    await createDpopProofVerifier().verify(input(text));
    await createDpopProofVerifier().verify(input(text));
  });

  it('checks against any of several targets through the internal checker', async () => {
    const checker = createProofChecker({
      algorithms: ['ES256'],
      maxAge: 300,
      clockTolerance: 5,
      nonces: undefined,
      replayStore: new MemoryReplayStore(),
    });
    const targets = ['https://a.example/things', 'https://b.example/things'].map(
      (u) => normalUri(u)!,
    );
    const text = await proof(es256, { htm: 'GET', htu: 'https://b.example/things' });
    expect((await checker.check(text, { method: 'GET', targets })).jkt).toBe(es256.jkt);
    const elsewhere = await proof(es256, { htm: 'GET', htu: 'https://c.example/things' });
    await expect(checker.check(elsewhere, { method: 'GET', targets })).rejects.toThrow(
      /another URI/,
    );
    const bound = await proof(es256, { htm: 'GET', htu: 'https://a.example/things' });
    await expect(
      checker.check(bound, { method: 'GET', targets, jkt: other.jkt }),
    ).rejects.toBeInstanceOf(TokenBindingError);
  });
});
