// The public key in a DPoP proof's header (RFC 9449 §4.2 `jwk`, §4.3 checks 5 and 6): a
// public asymmetric key that fits the proof's `alg`, never a private or symmetric one.
import { base64url, importJWK, type JWK } from 'jose';
import { InvalidDpopProofError } from '../errors.js';

// RFC 7518 §6.2.2, §6.3.2, RFC 8037 §2: members only a private key has, and `k` of `oct`.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
// RFC 7638 §3.2: the members that make up each key type's public key.
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
  RSA: ['e', 'n'],
};
const MIN_RSA_BITS = 2048;

// The key type and curve each algorithm needs.
function requiredKey(alg: string): { kty: string; crv?: readonly string[] } {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return { kty: 'RSA' };
  if (alg === 'ES256') return { kty: 'EC', crv: ['P-256'] };
  if (alg === 'ES384') return { kty: 'EC', crv: ['P-384'] };
  if (alg === 'ES512') return { kty: 'EC', crv: ['P-521'] };
  if (alg === 'Ed25519') return { kty: 'OKP', crv: ['Ed25519'] };
  return { kty: 'OKP', crv: ['Ed25519', 'Ed448'] }; // EdDSA (RFC 8037 §3.1)
}

function rsaModulusBits(n: string): number {
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(n);
  } catch {
    return 0;
  }
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (start === bytes.length) return 0;
  return (bytes.length - start - 1) * 8 + (bytes[start] as number).toString(2).length;
}

const refuse = (why: string): never => {
  throw new InvalidDpopProofError(`The DPoP proof's key ${why}`);
};

/**
 * The public members of a proof's `jwk` header, checked against `alg`: an object of the key
 * type `alg` needs (RSA of at least 2048 bits), no private member, no symmetric key. Throws
 * `InvalidDpopProofError` saying what is wrong.
 *
 * @example
 * const jwk = publicProofKey(header.jwk, 'ES256'); // { kty: 'EC', crv: 'P-256', x, y }
 */
export function publicProofKey(value: unknown, alg: string): JWK {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return refuse('is missing: the "jwk" header must be a JWK object');
  const jwk = value as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in jwk))
    return refuse('is private or symmetric: the "jwk" header must hold a public key');
  const required = requiredKey(alg);
  if (jwk.kty !== required.kty)
    return refuse(`does not fit "${alg}": its type must be ${required.kty}`);
  if (required.crv !== undefined && !required.crv.includes(jwk.crv as string))
    return refuse(`does not fit "${alg}": its curve must be ${required.crv.join(' or ')}`);
  const members = PUBLIC_MEMBERS[required.kty] as readonly string[];
  const key: Record<string, string> = { kty: required.kty };
  for (const member of members) {
    const part = jwk[member];
    if (typeof part !== 'string' || part === '') return refuse(`lacks its "${member}" member`);
    key[member] = part;
  }
  if (required.kty === 'RSA' && rsaModulusBits(key.n as string) < MIN_RSA_BITS)
    return refuse(`is too short: RSA keys need at least ${MIN_RSA_BITS} bits`);
  return Object.freeze(key) as JWK;
}

/**
 * Import a checked public key for `alg`; `InvalidDpopProofError` when it is not a valid key.
 *
 * @example
 * const key = await importProofKey(jwk, 'ES256');
 */
export async function importProofKey(jwk: JWK, alg: string): Promise<CryptoKey> {
  try {
    return (await importJWK(jwk, alg)) as CryptoKey;
  } catch (cause) {
    throw new InvalidDpopProofError("The DPoP proof's key is not a valid key", { cause });
  }
}
