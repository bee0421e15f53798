// Both engines must behave exactly like jose: every generated token, valid or mutated, gets
// the same verdict, error class, code and message from the Web engine (the default entry), the
// Node engine and the reference (jose's compactVerify on every signature), and on success the
// same header, claims and scopes. Reproduce a failure with DIFF_SEED=<seed>.
import { createSecretKey, KeyObject } from 'node:crypto';
import { CompactEncrypt, exportSPKI, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokengateError } from '../errors.js';
import type { VerifierOptions } from '../options.js';
import {
  ALL,
  AUDIENCE,
  ISSUER,
  joseEngine,
  type Keys,
  makeKeys,
  NOW,
  prng,
  type Rng,
  signerFor,
  signJws,
  validClaims,
} from '../test-support/differential.js';
import { type JwksServer, startJwksServer } from '../test-support/jwks-server.js';
import { type Case, MUTATIONS, makeBase } from '../test-support/mutations.js';
import { createVerifier as createDefault, createVerifierWith, type Verifier } from '../verifier.js';
import { createVerifier as createNode } from './index.js';

const SEED = Number(process.env.DIFF_SEED ?? 20261122);
const BASES_PER_ALG = Number(process.env.DIFF_BASES ?? 3);

const RESOLVER_KIDS = ['small', 'private', 'bytes', 'jwk', 'ec-for-rsa', 'pss-crypto', 'ko'];

function resolver(keys: Keys): VerifierOptions['getKey'] {
  const pss = importJWK(keys.rsa.jwk, 'PS256');
  const byKid: Record<string, CryptoKey> = {
    rsa: keys.rsa.publicKey,
    ec256: keys.ec256.publicKey,
    ec384: keys.ec384.publicKey,
    ec521: keys.ec521.publicKey,
    ed: keys.ed.publicKey,
  };
  const publicOf = (alg: string) => byKid[signerFor(keys, alg, prng(0)).kid as string] as CryptoKey;
  return async (header) => {
    const alg = header.alg as string;
    const hs = alg.startsWith('HS');
    switch (header.kid) {
      case 'small':
        return keys.smallRsa;
      case 'private':
        return keys.rsaPrivate;
      case 'bytes':
        return keys.secret1;
      case 'jwk':
        return keys.rsa.jwk as unknown as CryptoKey;
      case 'ec-for-rsa':
        return keys.ec256.publicKey;
      case 'pss-crypto':
        return (await pss) as CryptoKey;
      case 'ko':
        return hs ? createSecretKey(keys.secret1) : KeyObject.from(publicOf(alg));
      case 'hs-1':
        return keys.secret1;
      case undefined:
        return hs ? keys.secret2 : publicOf(alg);
      default:
        return byKid[header.kid as string] ?? keys.secret2;
    }
  };
}

async function configs(keys: Keys, origin: string): Promise<[string, VerifierOptions][]> {
  const secret: VerifierOptions = {
    secret: [{ kid: 'hs-1', secret: keys.secret1 }, keys.secret2],
    algorithms: ['HS256', 'HS384', 'HS512'],
    issuer: ISSUER,
    audience: AUDIENCE,
  };
  const jwks: VerifierOptions = {
    keys: { keys: [keys.rsa.jwk, keys.ec256.jwk, keys.ec384.jwk, keys.ec521.jwk, keys.ed.jwk] },
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: ['JWT', 'at+jwt'],
  };
  return [
    ['shared secrets', secret],
    ['inline JWK Set with a typ allow-list', jwks],
    [
      'PEM, KeyObject, JWK and CryptoKey keys, zero tolerance, max age',
      {
        keys: [
          await exportSPKI(keys.rsa.publicKey),
          KeyObject.from(keys.ec256.publicKey),
          keys.ec384.jwk,
          keys.ec521.publicKey,
          await exportSPKI(keys.ed.publicKey),
        ],
        issuer: [ISSUER, 'https://other.example/'],
        audience: AUDIENCE,
        clockTolerance: 0,
        maxTokenAge: 3600,
        requiredClaims: ['sub'],
      },
    ],
    [
      'a resolver returning odd keys',
      { getKey: resolver(keys), algorithms: ALL, issuer: ISSUER, audience: AUDIENCE },
    ],
    ['JWK Set with the token cache', { ...jwks, cache: { maxEntries: 64 } }],
    [
      'secrets with the cache, a typ allow-list, revocation, 1 KiB limit',
      {
        ...secret,
        cache: true,
        typ: ['at+jwt', 'jwt'],
        maxTokenSize: 1024,
        isRevoked: (claims) => typeof claims.sub === 'string' && /[0-4]$/.test(claims.sub),
      },
    ],
    [
      'remote JWKS on loopback',
      { jwksUri: `${origin}/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
    ],
    [
      'nested JWTs (JWE around the JWS) with shared secrets',
      { ...secret, decryption: { keys: JWE_KEY } },
    ],
  ];
}

const JWE_KEY = prng(99).bytes(32);

/** Every fourth compact JWS of the corpus wrapped in a JWE, plus JWE-level defects. */
async function nested(cases: readonly Case[], rng: Rng): Promise<Case[]> {
  const encrypt = (jws: string, header: Record<string, unknown>) =>
    new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...header })
      .encrypt(JWE_KEY);
  const out: Case[] = [];
  const jws = cases.filter((c) => typeof c.token === 'string' && c.token.split('.').length === 3);
  for (let i = 0; i < jws.length; i += 4) {
    const { label, token } = jws[i] as { label: string; token: string };
    const jwe = await encrypt(token, { cty: 'JWT' });
    out.push({ label: `JWE around: ${label}`, token: jwe });
    if (rng.next() < 0.1) {
      const parts = jwe.split('.');
      parts[3] = `${parts[3]?.slice(1)}A`;
      out.push({ label: 'JWE ciphertext changed', token: parts.join('.') });
      out.push({ label: 'JWE without cty', token: await encrypt(token, {}) });
    }
  }
  return out;
}

/** Valid tokens, their mutations, and tokens that steer the resolver to odd keys. */
async function corpus(keys: Keys, rng: Rng): Promise<Case[]> {
  const cases: Case[] = [];
  for (const alg of ALL) {
    for (let i = 0; i < BASES_PER_ALG; i++) {
      const base = await makeBase(keys, alg, rng);
      cases.push({ label: 'valid', token: base.token });
      for (const mutate of MUTATIONS) cases.push(...(await mutate(base, rng, keys)));
    }
    const key = alg.startsWith('HS') ? keys.secret1 : signerFor(keys, alg, rng).key;
    for (const kid of RESOLVER_KIDS)
      cases.push({
        label: `resolver kid ${kid}`,
        token: await signJws({ alg, kid }, validClaims(rng), key),
      });
  }
  return cases;
}

type Outcome =
  | { ok: true; header: unknown; claims: unknown; scopes: string[]; token: string }
  | {
      ok: false;
      error: string;
      code: unknown;
      claim: unknown;
      message: unknown;
      challenge: unknown;
    };

async function outcome(verifier: Verifier, token: unknown): Promise<Outcome> {
  try {
    const auth = await verifier.verify(token as string);
    return {
      ok: true,
      header: auth.header,
      claims: auth.claims,
      scopes: [...auth.scopes].sort(),
      token: auth.token,
    };
  } catch (error) {
    // Never anything but a typed tokengate error: no crash, no raw jose or node:crypto error.
    expect(error).toBeInstanceOf(TokengateError);
    const e = error as TokengateError & { claim?: string };
    return {
      ok: false,
      error: e.name,
      code: e.code,
      claim: e.claim,
      message: e.message,
      challenge: e.wwwAuthenticate,
    };
  }
}

describe(`Web and Node engines vs jose, seed ${SEED}`, () => {
  let keys: Keys;
  let cases: Case[];
  let named: [string, VerifierOptions][];
  let server: JwksServer;
  const seen = {
    accepted: new Map<string, number>(),
    codes: new Set<unknown>(),
    byConfig: [0, 0, 0, 0, 0, 0, 0, 0],
  };

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
    const rng = prng(SEED);
    keys = await makeKeys(rng);
    cases = await corpus(keys, rng);
    cases.push(...(await nested(cases, rng)));
    server = await startJwksServer();
    const jwks = [keys.rsa.jwk, keys.ec256.jwk, keys.ec384.jwk, keys.ec521.jwk, keys.ed.jwk];
    server.routes.set('/jwks.json', { body: { keys: jwks } });
    named = await configs(keys, server.origin);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await server.close();
  });

  it('generates thousands of tokens for eight configurations', () => {
    expect(cases.length).toBeGreaterThan(2000);
    expect(named).toHaveLength(8);
  });

  it.each([
    0, 1, 2, 3, 4, 5, 6, 7,
  ])('gives the same verdict, error and claims under configuration %i', async (index) => {
    const [name, options] = named[index] as [string, VerifierOptions];
    const reference = createVerifierWith(joseEngine, options);
    const engines: [string, Verifier][] = [
      ['web', createDefault(options)],
      ['node', createNode(options)],
    ];
    // With a cache, the second round is served from it (and re-checked): compare both rounds.
    const rounds = options.cache ? 2 : 1;
    for (let round = 0; round < rounds; round++) {
      for (const c of cases) {
        const expected = await outcome(reference, c.token);
        for (const [engine, verifier] of engines)
          expect(
            await outcome(verifier, c.token),
            `${engine} / ${name} / ${c.label} / round ${round} / ${String(c.token).slice(0, 120)}`,
          ).toEqual(expected);
        if (expected.ok) {
          seen.byConfig[index] = (seen.byConfig[index] ?? 0) + 1;
          const alg = (expected.header as { alg: string }).alg;
          seen.accepted.set(alg, (seen.accepted.get(alg) ?? 0) + 1);
        } else seen.codes.add(expected.code);
      }
    }
  });

  it('saw every algorithm accepted and every token error code', () => {
    for (const alg of ALL) expect(seen.accepted.get(alg) ?? 0, alg).toBeGreaterThan(0);
    // Every configuration, the remote JWKS and the nested JWTs included, accepted some tokens.
    for (const count of seen.byConfig) expect(count).toBeGreaterThan(5);
    for (const code of [
      'ERR_TOKEN_MALFORMED',
      'ERR_SIGNATURE_INVALID',
      'ERR_ALGORITHM_UNSUPPORTED',
      'ERR_TOKEN_EXPIRED',
      'ERR_TOKEN_NOT_YET_VALID',
      'ERR_CLAIM_INVALID',
      'ERR_TOKEN_REVOKED',
    ])
      expect(seen.codes, code).toContain(code);
  });
});
