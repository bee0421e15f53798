import { base64url } from 'jose';
import type { AuthInfo, JWTClaims, ProtectedHeader } from './types.js';

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
  header: ProtectedHeader;
  claims: JWTClaims;
  scopes: ReadonlySet<string>;
  /** Epoch ms after which the entry is dropped: the token's `exp`. */
  expiresAt: number;
}

/**
 * A bounded LRU of verified tokens.
 *
 * @example
 * const cache: TokenCache = createTokenCache({ maxEntries: 10_000 });
 * const hit = await cache.get(token); // undefined, or the AuthInfo verified earlier
 */
export interface TokenCache {
  /** The cached verification of exactly this token, if any and not past its `exp`. */
  get(token: string): Promise<AuthInfo<JWTClaims> | undefined>;
  /** Remember a verification; tokens without a numeric `exp` are never cached. */
  set(token: string, auth: AuthInfo<JWTClaims>): Promise<void>;
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
 * A verified-token cache: a hit skips the signature check only. The verifier still re-checks
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

  return {
    async get(token) {
      const digest = keyOf(token);
      // A synchronous digest (the Node entry) saves a turn of the microtask queue per request.
      const key = typeof digest === 'string' ? digest : await digest;
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry); // most recently used goes last
      return { token, header: entry.header, claims: entry.claims, scopes: entry.scopes };
    },
    async set(token, auth) {
      const exp = auth.claims.exp;
      if (typeof exp !== 'number' || !Number.isFinite(exp) || exp * 1000 <= now()) return;
      const digest = keyOf(token);
      const key = typeof digest === 'string' ? digest : await digest;
      entries.delete(key);
      entries.set(key, {
        header: auth.header,
        claims: auth.claims,
        scopes: auth.scopes,
        expiresAt: exp * 1000,
      });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
