import {
  generateSigningKey,
  type IssuerKey,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from '../keys.js';

const cache = new Map<SigningAlgorithm, Promise<IssuerKey>>();

/** One generated key per algorithm, shared by the tests of a file (RSA generation is slow). */
export function keyFor(alg: SigningAlgorithm): Promise<IssuerKey> {
  let key = cache.get(alg);
  if (!key) {
    key = generateSigningKey(alg);
    cache.set(alg, key);
  }
  return key;
}

/** The asymmetric algorithms: those whose keys are published in a JWK Set. */
export const ASYMMETRIC = SIGNING_ALGORITHMS.filter((alg) => !alg.startsWith('HS'));

/** The members of a JWK that carry private material (RFC 7517 §9.3, RFC 7518 §6). */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
