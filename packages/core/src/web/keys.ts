// Web Crypto keys for the keys the verifier hands out, prepared once per key and algorithm.
// A key is used here only where jose would accept it for that algorithm too; anything else
// (JWK objects, KeyObjects, private keys, small RSA moduli, mismatched curves) gets `null`,
// and the caller lets jose decide, so both paths fail the same way.
import type { VerificationKey } from '../keys/types.js';
import type { WebAlgorithm } from './algorithms.js';

type Prepared = CryptoKey | null;

// As jose tells one: by its tag, or by its class where a runtime gives it no tag.
const isCryptoKey = (key: object): key is CryptoKey =>
  (key as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'CryptoKey' ||
  (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey);

// The checks jose makes on a CryptoKey before Web Crypto sees it (its type, algorithm,
// usages and RSA modulus).
function fits(key: CryptoKey, spec: WebAlgorithm): boolean {
  const algorithm = key.algorithm as KeyAlgorithm & {
    hash?: { name?: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  if (key.type !== spec.keyType || !key.usages.includes('verify')) return false;
  if (algorithm.name !== spec.key.name) return false;
  if (spec.key.hash !== undefined && algorithm.hash?.name !== spec.key.hash) return false;
  if (spec.key.namedCurve !== undefined && algorithm.namedCurve !== spec.key.namedCurve)
    return false;
  if (spec.minRsaBits !== undefined) {
    const bits = algorithm.modulusLength;
    if (typeof bits !== 'number' || bits < spec.minRsaBits) return false;
  }
  return true;
}

// A shared secret becomes an HMAC key bound to the algorithm's hash, as jose imports it.
// An empty one is left to jose, whose import then fails as it would on its own.
async function importSecret(bytes: Uint8Array, spec: WebAlgorithm): Promise<Prepared> {
  if (bytes.byteLength === 0) return null;
  try {
    // (A secret on a SharedArrayBuffer is refused by Web Crypto, and so left to jose.)
    const raw = bytes as Uint8Array<ArrayBuffer>;
    return await crypto.subtle.importKey('raw', raw, spec.key, false, ['verify']);
  } catch {
    return null;
  }
}

function prepare(key: VerificationKey, spec: WebAlgorithm): Prepared | Promise<Prepared> {
  if (key instanceof Uint8Array) return spec.keyType === 'secret' ? importSecret(key, spec) : null;
  if (isCryptoKey(key)) return fits(key, spec) ? key : null;
  return null;
}

// Keyed by the key object itself, as jose caches its own conversions: a secret's bytes are
// read once, so a Uint8Array changed after it was configured keeps its old value here.
const prepared = new WeakMap<object, Map<WebAlgorithm, Prepared | Promise<Prepared>>>();

/**
 * The CryptoKey that verifies `spec`'s algorithm with `key`, or `null` when jose should decide
 * (it then reports the same error it reports on its own). A shared secret is imported on its
 * first use (a promise until then); a CryptoKey is checked once. Cached per key object.
 *
 * @example
 * const key = await webKeyFor(secretBytes, WEB_ALGORITHMS.get('HS256'));
 */
export function webKeyFor(key: VerificationKey, spec: WebAlgorithm): Prepared | Promise<Prepared> {
  if (typeof key !== 'object' || key === null) return null;
  let byAlg = prepared.get(key);
  if (byAlg === undefined) {
    byAlg = new Map();
    prepared.set(key, byAlg);
  }
  const known = byAlg.get(spec);
  if (known !== undefined) return known;
  const found = prepare(key, spec);
  byAlg.set(spec, found);
  if (found instanceof Promise) found.then((done) => byAlg.set(spec, done));
  return found;
}
