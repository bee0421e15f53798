// One line per key of a JWK Set: kid, kty, alg, use, size and RFC 7638 thumbprint.
import { base64url, calculateJwkThumbprint, type JWK } from 'jose';

/** What `tokengate jwks` says of one key. */
export interface KeySummary {
  readonly kid: string | null;
  readonly kty: string | null;
  readonly alg: string | null;
  readonly use: string | null;
  /** `2048-bit` for RSA and secrets, the curve for EC and OKP keys. */
  readonly size: string | null;
  /** RFC 7638 SHA-256 thumbprint, base64url; `null` for a key without its required members. */
  readonly thumbprint: string | null;
  /** Problems a verifier would trip on or a publisher should fix (a private member, a secret). */
  readonly warnings: readonly string[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : null);

function size(jwk: JWK): string | null {
  try {
    if (jwk.kty === 'RSA' && jwk.n) return `${base64url.decode(jwk.n).length * 8}-bit`;
    if (jwk.kty === 'oct' && jwk.k) return `${base64url.decode(jwk.k).length * 8}-bit`;
  } catch {
    return null;
  }
  return str(jwk.crv);
}

/**
 * Summarise one member of a JWK Set's `keys` array.
 *
 * @example
 * const summary = await summariseKey(jwks.keys[0]); // { kid: 'k1', kty: 'RSA', size: '2048-bit', … }
 */
export async function summariseKey(value: unknown): Promise<KeySummary> {
  const jwk = (typeof value === 'object' && value !== null ? value : {}) as JWK;
  const warnings: string[] = [];
  if (jwk.d !== undefined || jwk.p !== undefined)
    warnings.push('private key material is published');
  if (jwk.kty === 'oct') warnings.push('a shared secret is published');
  if (jwk.kid === undefined) warnings.push('no kid: verifiers must try it for every token');
  let thumbprint: string | null = null;
  try {
    thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
  } catch {
    warnings.push('not a valid JWK (required members missing)');
  }
  return {
    kid: str(jwk.kid),
    kty: str(jwk.kty),
    alg: str(jwk.alg),
    use: str(jwk.use),
    size: size(jwk),
    thumbprint,
    warnings,
  };
}

/**
 * The `kid` values of a JWK Set's keys (`(no kid)` for a key without one).
 *
 * @example
 * kids({ keys: [{ kid: 'k1' }, {}] }); // ['k1', '(no kid)']
 */
export function kids(jwks: { keys: unknown[] }): string[] {
  return jwks.keys.map((k) => str((k as { kid?: unknown } | null)?.kid) ?? '(no kid)');
}
