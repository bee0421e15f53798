import { randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';

/** The four algorithms the benchmark covers, one per key family. */
export const ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Claims every benchmark token carries and every contender checks. */
export interface TokenClaimsConfig {
  /** Expected `iss`; for HTTP runs the JWKS server's origin (get-jwks derives the JWKS URL from it). */
  issuer: string;
  /** Expected `aud`. */
  audience: string;
}

/** Keys of one algorithm and tokens signed with them. */
export interface Fixture {
  alg: Algorithm;
  kid: string;
  /** HS256 only: the shared secret. */
  secret?: Uint8Array;
  /** Asymmetric only: the public key as SPKI PEM and as a public JWK (with `kid`, `alg`, `use`). */
  publicPem?: string;
  publicJwk?: JWK;
  /** One token, used by the "one token repeated" mode. */
  one: string;
  /** Distinct valid tokens (different `sub`/`jti`), cycled by the "distinct tokens" mode. */
  tokens: string[];
}

/** The default claims of the in-process benchmark. */
export const IN_PROCESS_CLAIMS: TokenClaimsConfig = {
  issuer: 'https://issuer.bench.local/',
  audience: 'bench-api',
};

async function signMany(
  alg: Algorithm,
  kid: string,
  key: CryptoKey | Uint8Array,
  claims: TokenClaimsConfig,
  count: number,
): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const sign = (i: number) =>
    new SignJWT({ scope: 'read:things' })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(claims.issuer)
      .setAudience(claims.audience)
      .setSubject(`user-${i}`)
      .setJti(randomUUID())
      .setIssuedAt(now)
      // Long enough for the whole run; nobody waits for a token to expire here.
      .setExpirationTime(now + 4 * 3600)
      .sign(key);
  const tokens: string[] = [];
  // Batches keep WebCrypto's thread pool busy without queueing 10,000 promises at once.
  for (let i = 0; i < count; i += 256) {
    const batch = Array.from({ length: Math.min(256, count - i) }, (_, j) => sign(i + j));
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

/**
 * Generate a fresh key for `alg` and sign `count` distinct valid tokens plus the repeated one.
 *
 * @example
 * const rs = await createFixture('RS256', IN_PROCESS_CLAIMS, 10_000);
 */
export async function createFixture(
  alg: Algorithm,
  claims: TokenClaimsConfig,
  count: number,
): Promise<Fixture> {
  const kid = `bench-${alg.toLowerCase()}`;
  if (alg === 'HS256') {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const [one, ...tokens] = await signMany(alg, kid, secret, claims, count + 1);
    return { alg, kid, secret, one: one!, tokens };
  }
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const publicPem = await exportSPKI(publicKey);
  const [one, ...tokens] = await signMany(alg, kid, privateKey, claims, count + 1);
  return { alg, kid, publicPem, publicJwk, one: one!, tokens };
}

/**
 * A token with valid claims and the fixture's `kid`, signed by a different key of the same
 * algorithm: every server must refuse it (checked before timing).
 *
 * @example
 * const forged = await forgeToken(rs, claims);
 */
export async function forgeToken(fixture: Fixture, claims: TokenClaimsConfig): Promise<string> {
  const key =
    fixture.alg === 'HS256'
      ? crypto.getRandomValues(new Uint8Array(32))
      : (await generateKeyPair(fixture.alg)).privateKey;
  const [token] = await signMany(fixture.alg, fixture.kid, key, claims, 1);
  return token!;
}
