// Differential-test corpus: seeded, generated tokens for every algorithm, valid
// ones and mutations of every bad-input class, to run through the jose and the Node engine.
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { base64url, CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { joseSignatureVerifier } from '../keys/signature.js';
import { joseSegmentDecoder } from '../parse.js';
import type { VerifyEngine } from '../verifier-types.js';
import { webTokenDigest } from '../web/digest.js';

/** The reference engine: jose parses and checks every signature itself (compactVerify). */
export const joseEngine: VerifyEngine = {
  decoder: joseSegmentDecoder,
  signature: joseSignatureVerifier,
  digest: webTokenDigest,
};

export const ISSUER = 'https://issuer.example.com/';
export const AUDIENCE = 'api://tokengate';
/** 2026-01-01T00:00:00Z, the frozen "now". */
export const NOW = 1_767_225_600;

export const HS = ['HS256', 'HS384', 'HS512'];
export const ASYM = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  ...['ES256', 'ES384', 'ES512', 'EdDSA'],
];
export const ALL = [...HS, ...ASYM];

/** mulberry32: a small seeded PRNG, so a failing corpus can be regenerated from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}
export type Rng = ReturnType<typeof prng>;

type Signer = Parameters<CompactSign['sign']>[0];
interface Pair {
  privateKey: Signer;
  publicKey: CryptoKey;
  jwk: JWK;
}

/** Signing material: two HMAC secrets and one key pair per asymmetric family. */
export interface Keys {
  secret1: Uint8Array;
  secret2: Uint8Array;
  rsa: Pair;
  ec256: Pair;
  ec384: Pair;
  ec521: Pair;
  ed: Pair;
  /** Keys that jose refuses for some algorithms (small RSA modulus, a private key). */
  smallRsa: KeyObject;
  rsaPrivate: KeyObject;
}

async function pair(alg: string, kid: string): Promise<Pair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  // A KeyObject signs with every algorithm of its family (a CryptoKey is bound to one).
  return {
    privateKey: KeyObject.from(privateKey),
    publicKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: undefined },
  };
}

/** Generate the keys (random key pairs; secrets from the seeded PRNG). */
export async function makeKeys(rng: Rng): Promise<Keys> {
  const rsa = await pair('RS256', 'rsa');
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    secret1: rng.bytes(64),
    secret2: rng.bytes(64),
    rsa,
    ec256: await pair('ES256', 'ec256'),
    ec384: await pair('ES384', 'ec384'),
    ec521: await pair('ES512', 'ec521'),
    ed: await pair('EdDSA', 'ed'),
    smallRsa: small.publicKey,
    rsaPrivate: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  };
}

/** The signing key and the `kid` a verifier knows it by, for an algorithm. */
export function signerFor(keys: Keys, alg: string, rng: Rng): { key: Signer; kid?: string } {
  if (alg.startsWith('HS'))
    return rng.next() < 0.5 ? { key: keys.secret1, kid: 'hs-1' } : { key: keys.secret2 };
  if (alg.startsWith('RS') || alg.startsWith('PS')) return { key: keys.rsa.privateKey, kid: 'rsa' };
  const ec = { ES256: keys.ec256, ES384: keys.ec384, ES512: keys.ec521 }[alg];
  if (ec) return { key: ec.privateKey, kid: ec.jwk.kid };
  return { key: keys.ed.privateKey, kid: 'ed' };
}

const enc = new TextEncoder();
/** base64url of JSON (or of raw text / bytes). */
export const seg = (value: unknown) =>
  base64url.encode(
    value instanceof Uint8Array
      ? value
      : enc.encode(typeof value === 'string' ? value : JSON.stringify(value)),
  );

/** Sign arbitrary payload bytes under an arbitrary header with jose. */
export async function signJws(
  header: Record<string, unknown>,
  payload: unknown,
  key: Signer,
): Promise<string> {
  const bytes =
    payload instanceof Uint8Array ? payload : enc.encode(JSON.stringify(payload ?? null));
  const crit = Array.isArray(header.crit)
    ? Object.fromEntries((header.crit as string[]).map((c) => [c, true]))
    : undefined;
  return new CompactSign(bytes)
    .setProtectedHeader(header as { alg: string })
    .sign(key, crit ? { crit } : undefined);
}

/** Claims that pass every configured policy at {@link NOW}. */
export function validClaims(rng: Rng): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: rng.next() < 0.3 ? ['other', AUDIENCE] : AUDIENCE,
    sub: `user-${rng.int(1e6)}`,
    iat: NOW - rng.int(600),
    exp: NOW + 1 + rng.int(3600),
  };
  if (rng.next() < 0.5)
    claims.scope = ['read', 'write', 'admin'].filter(() => rng.next() < 0.5).join(' ');
  if (rng.next() < 0.3) claims.scp = ['a', 'b'];
  if (rng.next() < 0.3) claims.nbf = NOW - rng.int(60);
  if (rng.next() < 0.3) claims.jti = `j-${rng.int(1e9)}`;
  return claims;
}

/**
 * The verification key of `alg` among `keys`, as a key source hands it to an engine: the
 * shared secret's bytes for HS*, else the public key imported for that one algorithm.
 *
 * @example
 * const key = await publicKeyFor(keys, 'ES256');
 */
export async function publicKeyFor(keys: Keys, alg: string): Promise<CryptoKey | Uint8Array> {
  if (alg.startsWith('HS')) return keys.secret1;
  const { kid } = signerFor(keys, alg, prng(0));
  const pair = { rsa: keys.rsa, ec256: keys.ec256, ec384: keys.ec384, ec521: keys.ec521 }[
    kid as 'rsa'
  ];
  // Import per algorithm, as the key sources do (a CryptoKey is bound to one algorithm).
  return (await importJWK((pair ?? keys.ed).jwk, alg)) as CryptoKey;
}

/**
 * A token `{ sub: 'x' }` signed with `alg` by the key {@link publicKeyFor} verifies.
 *
 * @example
 * const token = await signedTokenFor(keys, 'ES256');
 */
export function signedTokenFor(keys: Keys, alg: string): Promise<string> {
  return signJws(
    { alg },
    { sub: 'x' },
    alg.startsWith('HS') ? keys.secret1 : signerFor(keys, alg, prng(0)).key,
  );
}
