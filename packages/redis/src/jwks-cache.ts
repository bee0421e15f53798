// The JWK Set cache on Redis: one JSON value per JWKS URL, kept while the verifier may still
// use it (its max age, then the stale-if-error window).
import type { JwksCacheEntry, JwksCacheStore } from '@tokengate/core';
import type { RedisCommands } from './client.js';

/**
 * Options of the JWKS cache store.
 *
 * @example
 * const stores = createRedisStores({ client, jwksCache: { retainStale: 3_600_000 } });
 */
export interface RedisJwksCacheOptions {
  /**
   * How long a set is kept past its max age, ms: the verifier's `jwks.staleIfErrorDuration`
   * lets it verify with a stale set while the endpoint fails. Default 86400000 (24 h).
   */
  retainStale?: number;
}

// Core's default max age of a set without `Cache-Control` (`jwks.cacheMaxAge`).
const DEFAULT_MAX_AGE = 600_000;

function isEntry(value: unknown): value is JwksCacheEntry {
  const entry = value as JwksCacheEntry | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    Array.isArray(entry.jwks?.keys) &&
    Number.isFinite(entry.fetchedAt)
  );
}

/**
 * A `JwksCacheStore` for `jwks: { store }`: instances share one fetched set.
 *
 * @example
 * const verifier = createVerifier({ jwksUri, issuer, audience, jwks: { store: redisJwksCache(commands, 'app:') } });
 */
export function redisJwksCache(
  commands: RedisCommands,
  prefix: string,
  options: RedisJwksCacheOptions = {},
): JwksCacheStore {
  const retainStale = options.retainStale ?? 86_400_000;
  if (!Number.isFinite(retainStale) || retainStale < 0) {
    throw new TypeError('"retainStale" must be a non-negative number of milliseconds');
  }
  const key = (uri: string) => `${prefix}jwks:${uri}`;
  return {
    async get(uri) {
      const value = await commands.get(key(uri));
      if (value === null) return undefined;
      // A value that is not an entry (another writer, a truncated write) reads as absent:
      // the verifier then fetches the set again.
      try {
        const entry: unknown = JSON.parse(value);
        return isEntry(entry) ? entry : undefined;
      } catch {
        return undefined;
      }
    },
    async set(uri, entry) {
      const expiresAt = Math.ceil(
        entry.fetchedAt + (entry.maxAge ?? DEFAULT_MAX_AGE) + retainStale,
      );
      await commands.set(key(uri), JSON.stringify(entry), { pxat: expiresAt });
    },
  };
}
