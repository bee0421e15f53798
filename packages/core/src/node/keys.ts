// node:crypto KeyObjects for the keys the verifier hands out, imported once per key and
// algorithm. A key is only converted when jose would accept it for that algorithm too;
// anything else (JWK objects, private keys, small RSA moduli, mismatched curves) gets
// `null`, and the caller lets jose decide, so both entries fail the same way.
import { createSecretKey, KeyObject } from 'node:crypto';
import type { VerificationKey } from '../keys/types.js';

/**
 * How one JWS algorithm is checked with node:crypto.
 *
 * @example
 * const spec: AlgSpec = { kind: 'pss', hash: 'sha256', webHash: 'SHA-256', saltLength: 32 };
 */
export interface AlgSpec {
  kind: 'hmac' | 'rsa' | 'pss' | 'ec' | 'ed';
  /** node:crypto digest name (`null` for EdDSA, which hashes internally). */
  hash: string | null;
  /** Web Crypto hash name, as jose checks it on a CryptoKey. */
  webHash?: string;
  /** RSA-PSS salt length in bytes (= hash length, RFC 7518 §3.5). */
  saltLength?: number;
  /** Web Crypto curve name (ECDSA). */
  curve?: string;
}

const hmac = (bits: number): AlgSpec => ({
  kind: 'hmac',
  hash: `sha${bits}`,
  webHash: `SHA-${bits}`,
});
const rsa = (bits: number): AlgSpec => ({
  kind: 'rsa',
  hash: `sha${bits}`,
  webHash: `SHA-${bits}`,
});
const pss = (bits: number): AlgSpec => ({
  kind: 'pss',
  hash: `sha${bits}`,
  webHash: `SHA-${bits}`,
  saltLength: bits / 8,
});
const ec = (bits: number, curve: string): AlgSpec => ({ kind: 'ec', hash: `sha${bits}`, curve });

/**
 * The algorithms the Node entry checks natively (RFC 7518 §3), by JWS `alg`.
 *
 * @example
 * ALG_SPECS.get('ES384'); // { kind: 'ec', hash: 'sha384', curve: 'P-384' }
 */
export const ALG_SPECS: ReadonlyMap<string, AlgSpec> = new Map([
  ['HS256', hmac(256)],
  ['HS384', hmac(384)],
  ['HS512', hmac(512)],
  ['RS256', rsa(256)],
  ['RS384', rsa(384)],
  ['RS512', rsa(512)],
  ['PS256', pss(256)],
  ['PS384', pss(384)],
  ['PS512', pss(512)],
  ['ES256', ec(256, 'P-256')],
  ['ES384', ec(384, 'P-384')],
  ['ES512', ec(512, 'P-521')],
  ['EdDSA', { kind: 'ed', hash: null }],
]);

const NODE_CURVES: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};
const WEB_NAMES = { rsa: 'RSASSA-PKCS1-v1_5', pss: 'RSA-PSS', ec: 'ECDSA', ed: 'Ed25519' };
const MIN_RSA_BITS = 2048; // jose's floor (RFC 7518 §3.3)

const tag = (key: object) => (key as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];

// The checks jose's prepareKey/checkCryptoKey make before Web Crypto sees the key.
function fromCryptoKey(key: CryptoKey, spec: AlgSpec): KeyObject | null {
  const algorithm = key.algorithm as KeyAlgorithm & {
    hash?: { name?: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  if (!key.usages.includes('verify')) return null;
  if (key.type !== (spec.kind === 'hmac' ? 'secret' : 'public')) return null;
  const name = spec.kind === 'hmac' ? 'HMAC' : WEB_NAMES[spec.kind];
  if (algorithm.name !== name) return null;
  if (spec.webHash !== undefined && algorithm.hash?.name !== spec.webHash) return null;
  if (spec.curve !== undefined && algorithm.namedCurve !== spec.curve) return null;
  if (spec.kind === 'rsa' || spec.kind === 'pss') {
    if (typeof algorithm.modulusLength !== 'number' || algorithm.modulusLength < MIN_RSA_BITS)
      return null;
  }
  return KeyObject.from(key);
}

// A KeyObject jose would turn into a fitting CryptoKey.
function fromKeyObject(key: KeyObject, spec: AlgSpec): KeyObject | null {
  if (spec.kind === 'hmac')
    return key.type === 'secret' && (key.symmetricKeySize ?? 0) > 0 ? key : null;
  if (key.type !== 'public') return null;
  const details = key.asymmetricKeyDetails ?? {};
  switch (spec.kind) {
    case 'rsa':
    case 'pss':
      return key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= MIN_RSA_BITS
        ? key
        : null;
    case 'ec':
      return key.asymmetricKeyType === 'ec' &&
        details.namedCurve === NODE_CURVES[spec.curve as string]
        ? key
        : null;
    default:
      return key.asymmetricKeyType === 'ed25519' ? key : null;
  }
}

function convert(key: VerificationKey, spec: AlgSpec): KeyObject | null {
  if (key instanceof Uint8Array)
    return spec.kind === 'hmac' && key.byteLength > 0 ? createSecretKey(key) : null;
  const kind = tag(key);
  if (kind === 'CryptoKey') return fromCryptoKey(key as CryptoKey, spec);
  if (kind === 'KeyObject' && key instanceof KeyObject) return fromKeyObject(key, spec);
  return null;
}

// Keyed by the key object itself, as jose caches its own conversions: a secret's bytes are
// read once, so a Uint8Array changed after it was configured keeps its old value here.
const imported = new WeakMap<object, Map<AlgSpec, KeyObject | null>>();

/**
 * The KeyObject that verifies `spec`'s algorithm with `key`, or `null` when jose should
 * decide (it then reports the same error the default entry reports). Cached per key object.
 *
 * @example
 * const keyObject = nodeKeyFor(publicCryptoKey, ALG_SPECS.get('RS256'));
 */
export function nodeKeyFor(key: VerificationKey, spec: AlgSpec): KeyObject | null {
  if (key === lastKey && spec === lastSpec) return lastFound;
  if (typeof key !== 'object' || key === null) return null;
  let byAlg = imported.get(key);
  if (byAlg === undefined) {
    byAlg = new Map();
    imported.set(key, byAlg);
  }
  let found = byAlg.get(spec);
  if (found === undefined) {
    try {
      found = convert(key, spec);
    } catch {
      found = null;
    }
    byAlg.set(spec, found);
  }
  lastKey = key;
  lastSpec = spec;
  lastFound = found;
  return found;
}

// The last answer: a server verifying with one key skips both map lookups. (The cache above
// is the truth; this only remembers its most recent entry.)
let lastKey: object | undefined;
let lastSpec: AlgSpec | undefined;
let lastFound: KeyObject | null = null;
