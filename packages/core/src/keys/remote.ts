import { InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import type { Observer } from '../telemetry/observe.js';
import { Discovery } from './discovery.js';
import { JwksCache } from './jwks-cache.js';
import { fetchJson } from './jwks-fetch.js';
import type { SharedJwksState } from './jwks-shared.js';
import { MemoryJwksStore } from './jwks-store.js';
import type { RemoteJwksOptions } from './remote-options.js';
import type { KeySource } from './types.js';
import { toFetchUrl } from './url.js';

/**
 * Options of {@link createRemoteKeySource}.
 *
 * @example
 * const options: RemoteKeySourceOptions = { jwksUri: 'https://id.example/jwks', algorithms: ['RS256'] };
 */
export interface RemoteKeySourceOptions {
  /** The JWK Set URL. One of `jwksUri` or `issuer` + `discovery: true` is required. */
  jwksUri?: string | URL;
  /** The exact issuer; with `discovery: true` its metadata names the JWK Set. */
  issuer?: string;
  /** Find `jwks_uri` through OIDC discovery, falling back to RFC 8414. Default false. */
  discovery?: boolean;
  /** Algorithm allow-list of this source's keys (asymmetric only). */
  algorithms: readonly string[];
  /** Fetch, cache and failure tuning; see {@link RemoteJwksOptions} for units and defaults. */
  jwks?: RemoteJwksOptions;
}

const KNOWN_JWKS_OPTIONS = new Set([
  'timeoutDuration',
  'cooldownDuration',
  'cacheMaxAge',
  'minCacheMaxAge',
  'maxCacheMaxAge',
  'staleIfErrorDuration',
  'rotationBudget',
  'maxResponseSize',
  'allowInsecureHttp',
  'fetch',
  'store',
  'onFetch',
  'onFetchError',
  'onStale',
]);

function duration(options: RemoteJwksOptions, name: keyof RemoteJwksOptions, fallback: number) {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`jwks.${name} must be a non-negative finite number`);
  }
  return value;
}

/**
 * A key source backed by a remote JWK Set, found directly or through OIDC discovery.
 * Options are checked here (`TypeError`); the set is fetched lazily on the first token.
 * Fetches are bounded in time and size, cached, refreshed in the background, gated by a
 * cooldown and rotation budget for unknown `kid`s, and the last good set keeps serving for
 * `staleIfErrorDuration` while the endpoint fails. The token header's `jku`, `x5u`, `jwk`
 * and `x5c` are never fetched or trusted, and redirects are refused (a redirect could lead
 * off `https:`; configure the final URL instead).
 *
 * @example
 * const source = createRemoteKeySource({
 *   issuer: 'https://id.example.com/', discovery: true, algorithms: ['RS256'],
 * });
 * const keys = await source.getKey({ alg: 'RS256', kid: 'k1' }, {});
 *
 * `shared` (internal, used by the `issuers` resolver): the default store and the refetch gate
 * come from it, so a source re-created for the same URL starts warm and inside the cooldown.
 * `observer` (internal, from the verifier's `logger` and `telemetry`): hears of outages and
 * fetches.
 */
export function createRemoteKeySource(
  options: RemoteKeySourceOptions,
  shared?: SharedJwksState,
  observer?: Observer,
): KeySource {
  const jwks = options.jwks ?? {};
  for (const name of Object.keys(jwks)) {
    if (!KNOWN_JWKS_OPTIONS.has(name)) throw new TypeError(`Unknown option jwks.${name}`);
  }
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('algorithms must list at least one algorithm');
  }
  // Never call a detached `globalThis.fetch` as a method of an options object: workerd throws
  // "Illegal invocation" when fetch runs with a `this` other than the global scope.
  const fetchImpl: typeof fetch = jwks.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (typeof fetchImpl !== 'function') throw new TypeError('jwks.fetch must be a function');
  const allowInsecureHttp = jwks.allowInsecureHttp === true;
  const maxResponseSize = duration(jwks, 'maxResponseSize', 512 * 1024);
  const tuning = {
    cacheMaxAge: duration(jwks, 'cacheMaxAge', 600_000),
    minCacheMaxAge: duration(jwks, 'minCacheMaxAge', 30_000),
    maxCacheMaxAge: duration(jwks, 'maxCacheMaxAge', 86_400_000),
    staleIfErrorDuration: duration(jwks, 'staleIfErrorDuration', 86_400_000),
  };

  let uri: string;
  let resolveUrl: (signal: AbortSignal, timeoutMs: number) => Promise<URL>;
  if (options.jwksUri !== undefined) {
    const url = toFetchUrl(options.jwksUri, 'jwksUri', allowInsecureHttp);
    uri = url.href;
    resolveUrl = async () => url;
  } else if (options.discovery === true && typeof options.issuer === 'string') {
    const discovery = new Discovery({
      issuer: options.issuer,
      fetch: fetchImpl,
      maxResponseSize,
      allowInsecureHttp,
      ...tuning,
    });
    uri = options.issuer;
    resolveUrl = (signal, timeoutMs) => discovery.jwksUri(signal, timeoutMs);
  } else {
    throw new TypeError('jwksUri, or issuer with discovery: true, is required');
  }

  const cooldownDuration = duration(jwks, 'cooldownDuration', 30_000);
  const rotationBudget = duration(jwks, 'rotationBudget', 2);
  const cache = new JwksCache({
    uri,
    algorithms: options.algorithms,
    load: async (signal, timeoutMs) =>
      fetchJson(await resolveUrl(signal, timeoutMs), {
        fetch: fetchImpl,
        signal,
        maxResponseSize,
        timeoutMs,
      }),
    timeoutDuration: duration(jwks, 'timeoutDuration', 5_000),
    cooldownDuration,
    rotationBudget,
    store: jwks.store ?? shared?.store ?? new MemoryJwksStore(),
    policy: shared?.policy(uri, cooldownDuration, rotationBudget),
    onFetch: jwks.onFetch,
    onFetchError: jwks.onFetchError,
    onStale: jwks.onStale,
    observer,
    ...tuning,
  });

  return {
    algorithms: options.algorithms,
    getKeyNow: (header) => cache.getKeysNow(header),
    async getKey(header) {
      try {
        return await cache.getKeys(header);
      } catch (error) {
        if (error instanceof InvalidSignatureError || error instanceof KeySetUnavailableError) {
          throw error;
        }
        throw new KeySetUnavailableError(undefined, { cause: error });
      }
    },
    health: () => cache.health(),
  };
}
