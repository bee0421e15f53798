import {
  createLocalJWKSet,
  errors,
  importJWK,
  importSPKI,
  importX509,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';
import { InvalidSignatureError } from '../errors.js';
import { ASYMMETRIC_ALGORITHMS, checkAlgorithms, isSymmetric } from '../options-check.js';
import type { ProtectedHeader } from '../types.js';
import { KeyConfigurationError } from './config-error.js';
import { checkedJwkAlgorithms, pemLabel } from './static-checks.js';
import type { KeySource, StaticKeyInput, VerificationKey } from './types.js';

/** One configured key: its `kid` (if known), the algorithms it can verify, and a loader. */
interface Entry {
  kid: string | undefined;
  algorithms: readonly string[];
  load(header: ProtectedHeader): Promise<VerificationKey[]>;
}

const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const CURVE_ALG: Record<string, string> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** Import once per algorithm (Web Crypto binds a key to one algorithm). */
function perAlg(importer: (alg: string) => Promise<VerificationKey>) {
  const cache = new Map<string, Promise<VerificationKey>>();
  return (alg: string) => {
    let key = cache.get(alg);
    if (!key) {
      key = importer(alg);
      cache.set(alg, key);
    }
    return key;
  };
}

// The shape was checked at construction, so an import that still fails means the configured
// key itself is broken (e.g. an EC point off its curve): the server's fault, never a 401.
const broken = (what: string, cause: unknown) =>
  new KeyConfigurationError(`"keys" ${what} could not be imported; fix the configured key`, {
    cause,
  });

function fromJwk(jwk: JWK): Entry {
  const algorithms = checkedJwkAlgorithms(jwk);
  const load = perAlg(async (alg) => (await importJWK(jwk, alg)) as VerificationKey);
  const what = jwk.kid === undefined ? 'JWK' : `JWK "${jwk.kid}"`;
  return {
    kid: jwk.kid,
    algorithms,
    load: async (h) => {
      try {
        return [await load(h.alg as string)];
      } catch (cause) {
        throw broken(what, cause);
      }
    },
  };
}

function fromJwkSet(set: { keys: JWK[] }): Entry {
  if (set.keys.some((k) => typeof k !== 'object' || k === null))
    throw new TypeError('"keys" JWK Set entries must be JWK objects');
  const signing = set.keys.filter((k) => k.use !== 'enc');
  const algorithms = [...new Set(signing.flatMap(checkedJwkAlgorithms))];
  if (algorithms.length === 0) throw new TypeError('"keys" JWK Set holds no public signing key');
  let resolve: ReturnType<typeof createLocalJWKSet>;
  try {
    resolve = createLocalJWKSet({ keys: signing });
  } catch {
    throw new TypeError('"keys" JWK Set is malformed');
  }
  const load = async (header: ProtectedHeader): Promise<VerificationKey[]> => {
    try {
      return [(await resolve(header as JWTHeaderParameters)) as VerificationKey];
    } catch (e) {
      if (e instanceof errors.JWKSMultipleMatchingKeys) {
        const keys: VerificationKey[] = [];
        for await (const key of e) keys.push(key as VerificationKey);
        return keys;
      }
      if (e instanceof errors.JWKSNoMatchingKey) return [];
      throw broken('JWK Set key', e);
    }
  };
  // A set matches `kid` itself (jose), so it never takes part in the kid-less fallback.
  return { kid: '\u0000set', algorithms, load };
}

/** The algorithms a CryptoKey or Node KeyObject can verify, from its own description. */
function keyObjectAlgorithms(key: Record<string, unknown>): string[] {
  const algorithm = key.algorithm as
    | { name?: string; hash?: { name?: string }; namedCurve?: string }
    | undefined;
  if (algorithm && typeof algorithm.name === 'string') {
    const bits = algorithm.hash?.name?.replace('SHA-', '');
    if (algorithm.name === 'RSASSA-PKCS1-v1_5') return [`RS${bits}`];
    if (algorithm.name === 'RSA-PSS') return [`PS${bits}`];
    if (algorithm.name === 'ECDSA')
      return [CURVE_ALG[algorithm.namedCurve ?? ''] ?? ''].filter(Boolean);
    if (algorithm.name === 'Ed25519') return ['EdDSA'];
    return [];
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails as { namedCurve?: string } | undefined;
  if (type === 'rsa') return RSA;
  if (type === 'rsa-pss') return RSA.filter((a) => a.startsWith('PS'));
  if (type === 'ec')
    return details?.namedCurve
      ? [CURVE_ALG[details.namedCurve] ?? ''].filter(Boolean)
      : ['ES256', 'ES384', 'ES512'];
  if (type === 'ed25519') return ['EdDSA'];
  return [];
}

function fromKeyObject(key: Record<string, unknown>): Entry {
  if (key.type === 'secret')
    throw new TypeError('"keys" holds public keys; pass a shared secret as "secret"');
  if (key.type !== 'public') throw new TypeError('"keys" must hold public keys, not private ones');
  const algorithms = keyObjectAlgorithms(key);
  if (algorithms.length === 0)
    throw new TypeError('"keys" holds a key type that cannot verify JWS signatures');
  const keys = [key as unknown as VerificationKey];
  return { kid: undefined, algorithms, load: async () => keys };
}

/** One algorithm per key family: a PEM that imports under none of them is broken. */
const PROBE = ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function fromPem(pem: string): Entry {
  const text = pem.trim();
  const label = pemLabel(text);
  const load = perAlg((alg) => (label === 'CERTIFICATE' ? importX509 : importSPKI)(text, alg));
  let importable: Promise<boolean> | undefined;
  const probe = async () => {
    for (const alg of PROBE)
      if (
        await load(alg).then(
          () => true,
          () => false,
        )
      )
        return true;
    return false;
  };
  // A PEM does not state its algorithm up front; each allowed one is tried on first use. A
  // failed import is a key of another family (no key for this token) unless the PEM imports
  // under no family at all.
  return {
    kid: undefined,
    algorithms: ASYMMETRIC_ALGORITHMS,
    load: async (h) => {
      try {
        return [await load(h.alg as string)];
      } catch (cause) {
        importable ??= probe();
        if (await importable) return [];
        throw broken(`PEM "${label}"`, cause);
      }
    },
  };
}

function toEntry(input: StaticKeyInput): Entry {
  if (typeof input === 'string') return fromPem(input);
  if (typeof input !== 'object' || input === null || input instanceof Uint8Array)
    throw new TypeError(
      '"keys" entries must be PEM strings, JWKs, a JWK Set, CryptoKeys or KeyObjects',
    );
  if ('keys' in input && Array.isArray(input.keys)) return fromJwkSet(input as { keys: JWK[] });
  if ('kty' in input && typeof input.kty === 'string') return fromJwk(input as JWK);
  if ('type' in input && typeof input.type === 'string')
    return fromKeyObject(input as Record<string, unknown>);
  throw new TypeError(
    '"keys" entries must be PEM strings, JWKs, a JWK Set, CryptoKeys or KeyObjects',
  );
}

/**
 * A key source of static public keys: PEM SPKI, X.509 PEM certificate, public JWK, inline
 * JWK Set, CryptoKey or KeyObject. Without `algorithms`, the allow-list is derived from the
 * key types (a PEM key allows the asymmetric set; its import decides which one fits).
 *
 * @example
 * const source = createStaticKeySource({ keys: [publicPem, { kty: 'EC', crv: 'P-256', x, y }] });
 */
export function createStaticKeySource(options: {
  keys: StaticKeyInput | StaticKeyInput[];
  algorithms?: string[];
}): KeySource {
  const list = Array.isArray(options.keys) ? options.keys : [options.keys];
  if (list.length === 0) throw new TypeError('"keys" must not be an empty array');
  const entries = list.map(toEntry);
  const derived = [...new Set(entries.flatMap((e) => e.algorithms))];
  let algorithms = derived;
  if (options.algorithms !== undefined) {
    algorithms = checkAlgorithms(options.algorithms);
    const symmetric = algorithms.find(isSymmetric);
    if (symmetric)
      throw new TypeError(
        `"algorithms" contains ${symmetric}, which needs a "secret"; public "keys" never verify HMAC`,
      );
    const unfit = algorithms.find((a) => !derived.includes(a));
    if (unfit)
      throw new TypeError(`"algorithms" contains ${unfit}, which none of the "keys" can verify`);
  }
  return {
    algorithms,
    async getKey(header) {
      const alg = header.alg as string;
      const usable = entries.filter((e) => e.algorithms.includes(alg));
      const byKid = header.kid === undefined ? [] : usable.filter((e) => e.kid === header.kid);
      const tier =
        byKid.length > 0
          ? byKid
          : usable.filter(
              (e) => e.kid === undefined || e.kid === '\u0000set' || header.kid === undefined,
            );
      const keys = (await Promise.all(tier.map((e) => e.load(header)))).flat();
      if (keys.length === 0) throw new InvalidSignatureError('No trusted key matches the token');
      return keys;
    },
  };
}
