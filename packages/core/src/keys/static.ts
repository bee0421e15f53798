import {
  createLocalJWKSet,
  errors,
  importJWK,
  importSPKI,
  importX509,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';
import { ASYMMETRIC_ALGORITHMS, isSymmetric } from '../algorithms.js';
import { InvalidSignatureError } from '../errors.js';
import { checkAlgorithms } from '../options-check.js';
import type { ProtectedHeader } from '../types.js';
import { KeyConfigurationError } from './config-error.js';
import { checkedJwkAlgorithms, pemLabel } from './static-checks.js';
import type { KeySource, StaticKeyInput, VerificationKey } from './types.js';

/** One configured key: its `kid` (if known), the algorithms it can verify, and a loader. */
interface Entry {
  kid: string | undefined;
  algorithms: readonly string[];
  load(header: ProtectedHeader): Promise<VerificationKey[]>;
  /** The keys `load` gave before, when they are already in memory (see `KeySource.getKeyNow`). */
  loadNow(header: ProtectedHeader): readonly VerificationKey[] | undefined;
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

/**
 * Import once per algorithm (Web Crypto binds a key to one algorithm). `now(alg)` is the
 * imported key once its import has succeeded, as a one-element list shared by every token.
 */
function perAlg(importer: (alg: string) => Promise<VerificationKey>) {
  const cache = new Map<string, Promise<VerificationKey>>();
  const done = new Map<string, readonly VerificationKey[]>();
  const load = (alg: string) => {
    let key = cache.get(alg);
    if (!key) {
      key = importer(alg);
      cache.set(alg, key);
      key.then(
        (imported) => done.set(alg, [imported]),
        () => {},
      );
    }
    return key;
  };
  return { load, now: (alg: string) => done.get(alg) };
}

// The shape was checked at construction, so an import that still fails means the configured
// key itself is broken (e.g. an EC point off its curve): the server's fault, never a 401.
const broken = (what: string, cause: unknown) =>
  new KeyConfigurationError(`"keys" ${what} could not be imported; fix the configured key`, {
    cause,
  });

function fromJwk(jwk: JWK): Entry {
  const algorithms = checkedJwkAlgorithms(jwk);
  const imports = perAlg(async (alg) => (await importJWK(jwk, alg)) as VerificationKey);
  const what = jwk.kid === undefined ? 'JWK' : `JWK "${jwk.kid}"`;
  return {
    kid: jwk.kid,
    algorithms,
    loadNow: (h) => imports.now(h.alg as string),
    load: async (h) => {
      try {
        return [await imports.load(h.alg as string)];
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
  const find = async (header: ProtectedHeader): Promise<VerificationKey[]> => {
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
  // jose picks a set's keys by `alg` and `kid` alone. Only found keys are kept, and a token
  // with a `kid` only finds keys of that `kid`, so this stays as small as the set.
  const found = new Map<string, Map<string | undefined, readonly VerificationKey[]>>();
  const load = async (header: ProtectedHeader): Promise<VerificationKey[]> => {
    const keys = await find(header);
    const alg = header.alg as string;
    if (keys.length > 0) {
      const byKid = found.get(alg) ?? new Map<string | undefined, VerificationKey[]>();
      found.set(alg, byKid.set(header.kid, keys));
    }
    return keys;
  };
  const loadNow = (header: ProtectedHeader) => found.get(header.alg as string)?.get(header.kid);
  // A set matches `kid` itself (jose), so it never takes part in the kid-less fallback.
  return { kid: '\u0000set', algorithms, load, loadNow };
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
  return { kid: undefined, algorithms, load: async () => keys, loadNow: () => keys };
}

/** One algorithm per key family: a PEM that imports under none of them is broken. */
const PROBE = ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function fromPem(pem: string): Entry {
  const text = pem.trim();
  const label = pemLabel(text);
  const imports = perAlg((alg) => (label === 'CERTIFICATE' ? importX509 : importSPKI)(text, alg));
  let importable: Promise<boolean> | undefined;
  const probe = async () => {
    for (const alg of PROBE)
      if (
        await imports.load(alg).then(
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
    loadNow: (h) => imports.now(h.alg as string),
    load: async (h) => {
      try {
        return [await imports.load(h.alg as string)];
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
  const tiers = new Map(algorithms.map((alg) => [alg, tiersFor(entries, alg)]));
  // A token with a `kid` uses the keys with that `kid`, else the kid-less ones (and sets,
  // which match `kid` themselves); a token without one tries every key of its algorithm.
  const tierOf = (header: ProtectedHeader): readonly Entry[] => {
    const t = tiers.get(header.alg as string);
    if (t === undefined) return [];
    if (header.kid === undefined) return t.all;
    return t.byKid.get(header.kid) ?? t.kidless;
  };
  const none = () => new InvalidSignatureError('No trusted key matches the token');
  return {
    algorithms,
    getKeyNow(header) {
      const tier = tierOf(header);
      if (tier.length === 1) {
        const keys = (tier[0] as Entry).loadNow(header);
        if (keys?.length === 0) throw none();
        return keys;
      }
      const keys: VerificationKey[] = [];
      for (const entry of tier) {
        const found = entry.loadNow(header);
        if (found === undefined) return undefined;
        keys.push(...found);
      }
      if (keys.length === 0) throw none();
      return keys;
    },
    async getKey(header) {
      const keys = (await Promise.all(tierOf(header).map((e) => e.load(header)))).flat();
      if (keys.length === 0) throw none();
      return keys;
    },
  };
}

interface Tiers {
  all: readonly Entry[];
  kidless: readonly Entry[];
  byKid: ReadonlyMap<string, readonly Entry[]>;
}

function tiersFor(entries: readonly Entry[], alg: string): Tiers {
  const all = entries.filter((e) => e.algorithms.includes(alg));
  const byKid = new Map<string, Entry[]>();
  for (const e of all) if (e.kid !== undefined) byKid.set(e.kid, [...(byKid.get(e.kid) ?? []), e]);
  const kidless = all.filter((e) => e.kid === undefined || e.kid === '\u0000set');
  return { all, kidless, byKid };
}
