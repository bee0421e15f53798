/**
 * A JWS algorithm tokengate signs and verifies (RFC 7518 §3, RFC 8037). `none` is never one
 * (RFC 8725 §3.1).
 *
 * @example
 * const algorithms: JwsAlgorithm[] = ['ES256', 'EdDSA'];
 * createVerifier({ jwksUri, issuer, audience, algorithms });
 */
export type JwsAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/**
 * Every {@link JwsAlgorithm}, in a stable order, frozen.
 *
 * @example
 * JWS_ALGORITHMS.includes('ES256'); // true
 */
// biome-ignore format: one family per line
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = Object.freeze([
  'HS256', 'HS384', 'HS512',
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const);

/**
 * Every JWS algorithm tokengate verifies ({@link JWS_ALGORITHMS}), typed as plain strings so
 * that an untrusted `alg` header can be looked up in it.
 *
 * @example
 * SUPPORTED_ALGORITHMS.includes(header.alg); // false for 'none'
 */
export const SUPPORTED_ALGORITHMS: readonly string[] = JWS_ALGORITHMS;

/**
 * True for the HMAC family (RFC 7518 §3.2), which only a shared secret may verify.
 *
 * @example
 * isSymmetric('HS256'); // true
 */
export const isSymmetric = (alg: string): boolean => alg.startsWith('HS');

/**
 * The default allow-list of public-key sources (a remote JWKS, PEM keys): every supported
 * algorithm but the HMAC family, which a public key must never verify (RFC 8725 §3.1).
 *
 * @example
 * ASYMMETRIC_ALGORITHMS.includes('RS256'); // true; 'HS256' is not in it
 */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze(
  SUPPORTED_ALGORITHMS.filter((alg) => !isSymmetric(alg)),
);
