import { base64url } from 'jose';
import { deepFreeze, SealedSet } from './freeze.js';
import type { AuthInfo, JWTClaims } from './types.js';

/**
 * Options of {@link createTokenCache}.
 *
 * @example
 * const options: TokenCacheOptions = { maxEntries: 10_000 };
 */
export interface TokenCacheOptions {
  /** Most entries kept; the least recently used is evicted past it. Default 1000. */
  maxEntries?: number;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  header: AuthInfo['header'];
  claims: JWTClaims;
  scopes: ReadonlySet<string>;
  /** Epoch ms after which the entry is dropped: the token's `exp`. */
  expiresAt: number;
  /** `tick` when the entry last moved to the most recent end. */
  stamp: number;
}

/**
 * A bounded LRU of verified tokens. Internal to the verifier.
 *
 * Both methods answer without a promise when the cache key is computed synchronously (the
 * Node engine's digest), so that the request protocol answers a cached token without
 * waiting; with the Web Crypto digest they return a promise.
 *
 * @example
 * const cache: TokenCache = createTokenCache({ maxEntries: 10_000 });
 * const hit = await cache.get(token); // undefined, or the AuthInfo verified earlier
 */
export interface TokenCache {
  /** The cached verification of exactly this token, if any and not past its `exp`. */
  get(token: string): AuthInfo<JWTClaims> | undefined | Promise<AuthInfo<JWTClaims> | undefined>;
  /** Remember a verification; tokens without a numeric `exp` are never cached. */
  set(token: string, auth: AuthInfo<JWTClaims>): void | Promise<void>;
  /** Entries held now. */
  readonly size: number;
  /** Drop every entry (e.g. after rotating keys or revoking many tokens at once). */
  clear(): void;
}

const encoder = new TextEncoder();

// Keyed by SHA-256 of the whole token: the cache never holds the bearer token itself, and a
// token differing in any byte (header, payload or signature) is a different key.
async function webKeyOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * A verified-token cache: a hit skips the signature check only. Hits come back frozen (claims,
 * header, the result; scopes sealed), as the verifier hands them out. The verifier still re-checks
 * the time claims and the revocation hook on every hit, and an entry never outlives `exp`.
 *
 * `keyOf` maps a token to its cache key (default: base64url SHA-256 through Web Crypto; the
 * Node entry passes a synchronous node:crypto digest of the same value).
 *
 * @example
 * const cache = createTokenCache({ maxEntries: 10_000 });
 */
export function createTokenCache(
  options: TokenCacheOptions = {},
  keyOf: (token: string) => string | Promise<string> = webKeyOf,
): TokenCache {
  const maxEntries = options.maxEntries ?? 1000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('cache.maxEntries must be a positive integer');
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  // A miss is followed by a `set` of the same token, and the verifier may ask about one token
  // twice (see verify/authenticate.ts): its key is computed once.
  let lastToken = '';
  let lastKey = '';
  const keyFor = (token: string): string | Promise<string> => {
    if (token === lastToken) return lastKey;
    const key = keyOf(token);
    if (typeof key === 'string') {
      lastToken = token;
      lastKey = key;
    }
    return key;
  };
  // The Map's order is the recency order (most recent last). A hit moves its entry to the end
  // only once it has drifted a quarter of the way towards eviction, so a busy token stays and
  // most hits cost no delete + set. `tick` counts moves to the end.
  let tick = 0;
  const refreshAfter = Math.max(1, maxEntries >> 2);
  const lookup = (key: string, token: string): AuthInfo<JWTClaims> | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    if (tick - entry.stamp >= refreshAfter) {
      entries.delete(key);
      entry.stamp = ++tick;
      entries.set(key, entry);
    }
    // Frozen like a fresh verification; the parts were frozen when stored (no per-hit walk).
    return Object.freeze({
      token,
      header: entry.header,
      claims: entry.claims,
      scopes: entry.scopes,
    });
  };
  const store = (key: string, auth: AuthInfo<JWTClaims>, expiresAt: number): void => {
    entries.delete(key);
    // Shared by every later hit: frozen once here (a no-op for the verifier's own results).
    const header = deepFreeze(auth.header);
    const claims = deepFreeze(auth.claims);
    const scopes = auth.scopes instanceof SealedSet ? auth.scopes : new SealedSet(auth.scopes);
    entries.set(key, { header, claims, scopes, expiresAt, stamp: ++tick });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  };
  const get = (token: string) => {
    const key = keyFor(token);
    return typeof key === 'string' ? lookup(key, token) : key.then((k) => lookup(k, token));
  };
  const set = (token: string, auth: AuthInfo<JWTClaims>): void | Promise<void> => {
    const exp = auth.claims.exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp * 1000 <= now()) return;
    const key = keyFor(token);
    if (typeof key === 'string') return store(key, auth, exp * 1000);
    return key.then((k) => store(k, auth, exp * 1000));
  };

  return {
    get,
    set,
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
