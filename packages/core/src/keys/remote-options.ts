// Options of a remote JWK Set key source (`jwks` in the verifier options) and the store
// interface applications implement to share fetched sets between instances.
import type { KeySourceFailureCause } from './types.js';

/**
 * Store for a remote JWK Set, so instances or edge isolates can share or persist it.
 * The default keeps it in memory.
 *
 * @example
 * const store: JwksCacheStore = {
 *   get: async (uri) => JSON.parse((await redis.get(uri)) ?? 'null') ?? undefined,
 *   set: async (uri, entry) => void (await redis.set(uri, JSON.stringify(entry))),
 * };
 */
export interface JwksCacheStore {
  get(uri: string): Promise<JwksCacheEntry | undefined> | JwksCacheEntry | undefined;
  set(uri: string, entry: JwksCacheEntry): Promise<void> | void;
}

/**
 * A cached JWK Set with the time it was fetched.
 *
 * @example
 * const entry: JwksCacheEntry = { jwks: { keys: [jwk] }, fetchedAt: Date.now(), maxAge: 600_000 };
 */
export interface JwksCacheEntry {
  /** The JWK Set as fetched (`{ keys: [...] }`). */
  jwks: { keys: unknown[] };
  /** Epoch ms of the fetch. */
  fetchedAt: number;
  /** Max age in ms that applied to this fetch (from `Cache-Control` within bounds). */
  maxAge?: number;
}

/**
 * Tuning of a remote JWKS (or OIDC discovery) key source. Names and units follow jose.
 * See `packages/core/src/keys/jwks-policy.ts` for the rotation budget vs flood trade-off.
 *
 * @example
 * createVerifier({ jwksUri, issuer, audience, jwks: { timeoutDuration: 2000, cooldownDuration: 60_000 } });
 */
export interface RemoteJwksOptions {
  /** Fetch timeout in ms, for discovery plus JWKS together. Default 5000. */
  timeoutDuration?: number;
  /** Window in ms after a fetch during which unknown `kid`s may spend only the rotation budget. Default 30000. */
  cooldownDuration?: number;
  /** Extra fetches allowed for unknown `kid`s inside one cooldown window. Default 2. */
  rotationBudget?: number;
  /** Max age of a fetched set in ms when no `Cache-Control: max-age` says otherwise. Default 600000 (10 min). */
  cacheMaxAge?: number;
  /** Lower bound in ms applied to `Cache-Control: max-age` (and `no-cache`). Default 30000. */
  minCacheMaxAge?: number;
  /** Upper bound in ms applied to `Cache-Control: max-age`. Default 86400000 (24 h). */
  maxCacheMaxAge?: number;
  /** How long (ms) past its max age the last good set keeps verifying while the endpoint fails. Default 86400000 (24 h). */
  staleIfErrorDuration?: number;
  /** Largest accepted response body in bytes. Default 524288 (512 KiB). */
  maxResponseSize?: number;
  /** Allow `http:` URLs that are not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** `fetch` implementation (proxies, custom agents, tests). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Shared cache store. Default in memory (per key source). */
  store?: JwksCacheStore;
  /** Called after each successful fetch. */
  onFetch?: (event: { uri: string; keyCount: number; durationMs: number }) => void;
  /**
   * Called after each failed fetch, with the URL that failed (the JWK Set's or the discovery
   * document's) and the typed cause (timeout, HTTP status, DNS, TLS, bad body…).
   */
  onFetchError?: (event: {
    uri: string;
    url: string;
    cause: KeySourceFailureCause;
    error: Error;
  }) => void;
  /** Called when a token is verified with a set past its max age. */
  onStale?: (event: { uri: string; ageMs: number }) => void;
}
