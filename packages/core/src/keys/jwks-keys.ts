/**
 * Turning a fetched JWK Set into verification keys, and choosing the key for a token.
 * Every import goes through jose's `importJWK`; a key that is malformed, private, meant for
 * encryption or unusable with the allowed algorithms is skipped rather than failing the set.
 */
import { importJWK, type JWK } from 'jose';
import type { ProtectedHeader } from '../types.js';
import { RemoteFetchError } from './failure.js';

/** A public key from the set, imported once per algorithm it may verify. */
export interface ImportedJwk {
  readonly kid: string | undefined;
  readonly byAlg: ReadonlyMap<string, CryptoKey>;
}

/** Largest number of keys looked at in one set; more is a misbehaving endpoint. */
const MAX_KEYS = 100;

const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

function fitsAlgorithm(jwk: JWK, alg: string): boolean {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  switch (jwk.kty) {
    case 'RSA':
      return /^(?:RS|PS)(?:256|384|512)$/.test(alg);
    case 'EC':
      return EC_CURVES[alg] !== undefined && EC_CURVES[alg] === jwk.crv;
    case 'OKP':
      return (alg === 'EdDSA' || alg === 'Ed25519') && (jwk.crv === 'Ed25519' || alg === 'EdDSA');
    default:
      // `oct` keys are secrets: a published JWK Set never legitimately carries one.
      return false;
  }
}

function isVerificationJwk(value: unknown): value is JWK {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const jwk = value as Record<string, unknown>;
  if (typeof jwk.kty !== 'string') return false;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return false;
  if (jwk.alg !== undefined && typeof jwk.alg !== 'string') return false;
  // RFC 7517 §4.2/§4.3: a key marked for encryption never verifies a signature.
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops) || !jwk.key_ops.includes('verify')) return false;
  }
  // A private key in a public set is a publisher mistake; never hold on to it.
  return jwk.d === undefined;
}

async function importOne(jwk: JWK, algorithms: readonly string[]): Promise<ImportedJwk | null> {
  const byAlg = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    if (!fitsAlgorithm(jwk, alg)) continue;
    try {
      const key = await importJWK(jwk, alg);
      if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) byAlg.set(alg, key);
    } catch {
      // Malformed or unsupported: skip this algorithm for this key.
    }
  }
  return byAlg.size > 0 ? { kid: jwk.kid, byAlg } : null;
}

/**
 * Validate a JWK Set body and import its usable keys. Throws {@link RemoteFetchError} when
 * the body is not a JWK Set or holds no usable key (so the last good set stays in use).
 * `url`: where the body came from, for that error.
 *
 * @example
 * const keys = await importJwkSet({ keys: [jwk] }, ['RS256'], 'https://id.example/jwks');
 */
export async function importJwkSet(
  body: unknown,
  algorithms: readonly string[],
  url: string,
): Promise<ImportedJwk[]> {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new RemoteFetchError(url, { kind: 'not-jwk-set' });
  const candidates = keys.slice(0, MAX_KEYS).filter(isVerificationJwk);
  const imported = await Promise.all(candidates.map((jwk) => importOne(jwk, algorithms)));
  const usable = imported.filter((k): k is ImportedJwk => k !== null);
  if (usable.length === 0) throw new RemoteFetchError(url, { kind: 'no-usable-key' });
  return usable;
}

/** What a lookup found: keys, or whether the `kid` is unknown to the set. */
export type KeySelection =
  | { kind: 'found'; keys: CryptoKey[] }
  | { kind: 'unknown-kid' }
  | { kind: 'no-alg-match' };

/**
 * Choose keys for a token by `kid`, then by `alg` (kty/use/key_ops were applied at import).
 * The header's `jku`, `x5u`, `jwk` and `x5c` are deliberately never read (RFC 8725 §3.10).
 *
 * @example
 * const sel = selectKeys(keys, { alg: 'RS256', kid: 'k1' });
 */
export function selectKeys(keys: readonly ImportedJwk[], header: ProtectedHeader): KeySelection {
  const alg = header.alg;
  const kid = header.kid;
  const byKid = kid === undefined ? keys : keys.filter((k) => k.kid === kid);
  if (byKid.length === 0) return { kind: 'unknown-kid' };
  const found = typeof alg === 'string' ? byKid.map((k) => k.byAlg.get(alg)) : [];
  const usable = found.filter((k): k is CryptoKey => k !== undefined);
  if (usable.length > 0) return { kind: 'found', keys: usable };
  return kid === undefined ? { kind: 'unknown-kid' } : { kind: 'no-alg-match' };
}
