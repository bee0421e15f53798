import { ASYMMETRIC_ALGORITHMS, isSymmetric } from '../algorithms.js';
import { InvalidSignatureError, isTokengateError } from '../errors.js';
import { checkAlgorithms } from '../options-check.js';
import type { Observer } from '../telemetry/observe.js';
import type { SharedJwksState } from './jwks-shared.js';
import { createRemoteKeySource } from './remote.js';
import type { RemoteJwksOptions } from './remote-options.js';
import { createSecretKeySource } from './secret.js';
import { createStaticKeySource } from './static.js';
import type { KeyResolver, KeySource, SecretInput, StaticKeyInput } from './types.js';

/**
 * The key-source part of the verifier options (or of one `issuers` entry).
 *
 * @example
 * const options: KeySourceOptions = { jwksUri: 'https://id.example/jwks', algorithms: ['RS256'] };
 */
export interface KeySourceOptions {
  secret?: SecretInput | SecretInput[];
  keys?: StaticKeyInput | StaticKeyInput[];
  jwksUri?: string | URL;
  discovery?: boolean;
  getKey?: KeyResolver;
  /** Needed by `discovery`: the single issuer whose metadata names the `jwks_uri`. */
  issuer?: string | string[];
  algorithms?: string[];
  jwks?: RemoteJwksOptions;
}

const SOURCES = ['secret', 'keys', 'jwksUri', 'discovery', 'getKey'] as const;

/**
 * Which key source the options name; throws unless exactly one is set.
 *
 * @example
 * keySourceKind({ secret: 's' }); // 'secret'
 */
export function keySourceKind(options: KeySourceOptions, where = ''): (typeof SOURCES)[number] {
  const set = SOURCES.filter((k) => options[k] !== undefined && options[k] !== false);
  if (set.length !== 1)
    throw new TypeError(
      set.length === 0
        ? `No key source${where}: set one of "secret", "keys", "jwksUri", "discovery", "getKey" (or "issuers")`
        : `Only one key source may be set${where}, got ${set.map((k) => `"${k}"`).join(' and ')}`,
    );
  return set[0] as (typeof SOURCES)[number];
}

function publicAlgorithms(algorithms: string[] | undefined, what: string): string[] {
  if (algorithms === undefined) return [...ASYMMETRIC_ALGORITHMS];
  const list = checkAlgorithms(algorithms);
  const symmetric = list.find(isSymmetric);
  if (symmetric)
    throw new TypeError(
      `"algorithms" contains ${symmetric}, which needs a "secret"; ${what} only holds public keys`,
    );
  return list;
}

function resolverSource(getKey: KeyResolver, algorithms: string[] | undefined): KeySource {
  if (typeof getKey !== 'function') throw new TypeError('"getKey" must be a function');
  // A resolver can return any key type, so nothing safe can be assumed: name the algorithms.
  if (algorithms === undefined) throw new TypeError('"algorithms" is required with "getKey"');
  const list = checkAlgorithms(algorithms);
  return {
    algorithms: list,
    async getKey(header, claims) {
      let key: Awaited<ReturnType<KeyResolver>>;
      try {
        key = await getKey(header, claims);
      } catch (cause) {
        if (isTokengateError(cause)) throw cause;
        throw new InvalidSignatureError('No trusted key matches the token', { cause });
      }
      if (key === undefined || key === null)
        throw new InvalidSignatureError('No trusted key matches the token');
      return key;
    },
  };
}

/**
 * Build the key source the options name: shared secret(s), static public keys, a remote
 * JWKS (by URL or OIDC discovery) or a resolver function. Exactly one must be set; its
 * algorithm allow-list is checked against the key type (HS only with a secret). `shared`: the
 * JWKS state of an `issuers` resolver; `observer`: who hears of a remote source's outages.
 *
 * @example
 * const source = createKeySource({ secret: process.env.JWT_SECRET, algorithms: ['HS256'] });
 */
export function createKeySource(
  options: KeySourceOptions,
  where = '',
  shared?: SharedJwksState,
  observer?: Observer,
): KeySource {
  const kind = keySourceKind(options, where);
  const { algorithms } = options;
  // Tuning that can never apply is a mistake worth hearing about (e.g. `jwks` left over
  // after switching to `keys`), not something to ignore silently.
  if (options.jwks !== undefined && (kind === 'secret' || kind === 'keys' || kind === 'getKey'))
    throw new TypeError(`"jwks"${where} only applies to "jwksUri" or "discovery", not "${kind}"`);
  switch (kind) {
    case 'secret':
      return createSecretKeySource({ secret: options.secret as SecretInput, algorithms });
    case 'keys':
      return createStaticKeySource({ keys: options.keys as StaticKeyInput, algorithms });
    case 'getKey':
      return resolverSource(options.getKey as KeyResolver, algorithms);
    default: {
      const list = publicAlgorithms(algorithms, 'a JWKS');
      if (kind === 'discovery') {
        if (options.discovery !== true) throw new TypeError('"discovery" must be true or absent');
        if (typeof options.issuer !== 'string')
          throw new TypeError('"discovery" needs exactly one "issuer" string to find the metadata');
        return createRemoteKeySource(
          { discovery: true, issuer: options.issuer, algorithms: list, jwks: options.jwks },
          shared,
          observer,
        );
      }
      if (!URL.canParse(String(options.jwksUri)))
        throw new TypeError('"jwksUri" must be an absolute URL');
      const issuer = typeof options.issuer === 'string' ? options.issuer : undefined;
      return createRemoteKeySource(
        { jwksUri: options.jwksUri, issuer, algorithms: list, jwks: options.jwks },
        shared,
        observer,
      );
    }
  }
}

export { createRemoteKeySource, createSecretKeySource, createStaticKeySource };
