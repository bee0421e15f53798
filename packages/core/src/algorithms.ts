/**
 * A JWS algorithm tokengate signs and verifies (RFC 7518 §3, RFC 8037). `none` is never one
 * (RFC 8725 §3.1).
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
