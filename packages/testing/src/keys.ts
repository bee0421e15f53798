import { base64url, type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';

/**
 * Asymmetric algorithms a test issuer can generate keys for.
 *
 * @example
 * const issuer = await createTestIssuer({ algorithm: 'ES256' });
 */
export type AsymmetricAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/**
 * Every algorithm `mint()` can sign with (`HS256` uses the issuer's shared secret).
 *
 * @example
 * const token = await issuer.mint({ sub: 'alice' }, { alg: 'HS256' });
 */
export type SigningAlgorithm = AsymmetricAlgorithm | 'HS256' | 'HS384' | 'HS512';

/**
 * The asymmetric algorithms a test issuer generates by default.
 *
 * @example
 * await createTestIssuer({ algorithms: DEFAULT_ALGORITHMS.filter((a) => a !== 'EdDSA') });
 */
export const DEFAULT_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

/**
 * A generated key pair with its `kid` and public JWK (as published in the JWKS).
 *
 * @example
 * const key = await generateTestKey('ES256', 'es256-1');
 * key.publicJwk; // { kty: 'EC', crv: 'P-256', x, y, kid: 'es256-1', alg: 'ES256', use: 'sig' }
 */
export interface TestKey {
  readonly kid: string;
  readonly alg: AsymmetricAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

/**
 * Generate a key pair for `alg` (RSA 2048, P-256 or Ed25519) labelled with `kid`.
 *
 * @example
 * const key = await generateTestKey('RS256', 'rs256-1');
 */
export async function generateTestKey(alg: AsymmetricAlgorithm, kid: string): Promise<TestKey> {
  if (!DEFAULT_ALGORITHMS.includes(alg)) {
    throw new TypeError(`generateTestKey: unsupported algorithm ${JSON.stringify(alg)}`);
  }
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kid, alg, privateKey, publicKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

/**
 * The public key as PEM SPKI, e.g. to forge the classic HS256-with-the-RSA-public-key token.
 *
 * @example
 * const pem = await publicKeyPem(issuer.currentKey('RS256'));
 */
export function publicKeyPem(key: TestKey): Promise<string> {
  return exportSPKI(key.publicKey);
}

/**
 * A random 256-bit shared secret for HS256, as a base64url string (its UTF-8 bytes are the key).
 *
 * @example
 * const secret = randomSecret(); // 43 characters
 */
export function randomSecret(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}
