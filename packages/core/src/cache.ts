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
  /**
   * The token up to its hashed end, as its own copy: the key is the digest of the rest, and a
   * hit must begin with exactly these characters. `''` when the key is the digest of the whole
   * token.
   */
  head: string;
  header: AuthInfo['header'];
  claims: JWTClaims;
  scopes: ReadonlySet<string>;
  /** Epoch ms after which the entry is dropped: the token's `exp`. */
  expiresAt: number;
  /** `tick` when the entry last moved to the most recent end. */
  stamp: number;
}

/**
 * A bounded LRU of verified tokens. Internal to the verifier. Both methods answer without a
 * promise, so that the request protocol answers a cached token without waiting.
 *
 * @example
 * const cache: TokenCache = createTokenCache({ maxEntries: 10_000 }, webTokenDigest);
 * const hit = cache.get(token); // undefined, or the AuthInfo verified earlier
 */
export interface TokenCache {
  /** The cached verification of exactly this token, if any and not past its `exp`. */
  get(token: string): AuthInfo<JWTClaims> | undefined;
  /** Remember a verification; tokens without a numeric `exp` are never cached. */
  set(token: string, auth: AuthInfo<JWTClaims>): void;
  /** Entries held now. */
  readonly size: number;
  /** Drop every entry (e.g. after rotating keys or revoking many tokens at once). */
  clear(): void;
}

// A JWS's last 43 characters are the end of its signature and hold at least 254 bits of it,
// whatever the algorithm (an HS256 signature is exactly 43 characters, every other one longer):
// the rest of the token is no credential, since completing it would mean forging a signature.
// One SHA-256 block covers them, which keeps the key cheap where the digest runs in JavaScript.
const HASHED_END = 43;

// Where the hashed end of a token starts: a JWS's last 43 characters; any other shape (a JWE,
// whose ciphertext may hold a signed token) is hashed whole.
function hashedFrom(token: string): number {
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first < 0 || first === last || token.indexOf('.', first + 1) !== last) return 0;
  return Math.max(0, token.length - HASHED_END);
}

// (A slice compared with `===` is many times faster than `startsWith` on V8.)
function sameHead(head: string, token: string, from: number): boolean {
  return from === head.length && (from === 0 || token.slice(0, from) === head);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A substring may share its parent's memory (V8 and JavaScriptCore keep slices as views), which
// would keep the whole token alive in the cache; a string decoded from bytes shares nothing.
function ownCopy(text: string): string {
  return decoder.decode(encoder.encode(text));
}

/**
 * A verified-token cache: a hit skips the signature check only. Hits come back frozen (claims,
 * header, the result; scopes sealed), as the verifier hands them out. The verifier still re-checks
 * the time claims and the revocation hook on every hit, and an entry never outlives `exp`.
 *
 * `digest` is the engine's SHA-256 (`VerifyEngine.digest`). No entry holds a bearer token
 * (only the last token asked about is remembered, to key it once): a JWS is keyed by the
 * digest of its last 43 characters, the end of its signature, and its entry keeps the rest,
 * which is no credential; a hit needs both to match, so a token differing in any character is
 * a miss. Any other token (a JWE, whose ciphertext may hold a signed token) is keyed by the
 * digest of the whole token.
 *
 * @example
 * const cache = createTokenCache({ maxEntries: 10_000 }, webTokenDigest);
 */
export function createTokenCache(
  options: TokenCacheOptions,
  digest: (text: string) => string,
): TokenCache {
  const maxEntries = options.maxEntries ?? 1000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('cache.maxEntries must be a positive integer');
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  // A miss is followed by a `set` of the same token, and the verifier may ask about one token
  // twice (see verify/authenticate.ts): its key (and where its hashed end starts, read right
  // after) is computed once.
  let lastToken = '';
  let lastKey = '';
  let lastHashedFrom = 0;
  const keyFor = (token: string): string => {
    if (token !== lastToken) {
      lastHashedFrom = hashedFrom(token);
      lastKey = digest(lastHashedFrom === 0 ? token : token.slice(lastHashedFrom));
      lastToken = token;
    }
    return lastKey;
  };
  // The Map's order is the recency order (most recent last). A hit moves its entry to the end
  // only once it has drifted a quarter of the way towards eviction, so a busy token stays and
  // most hits cost no delete + set. `tick` counts moves to the end.
  let tick = 0;
  const refreshAfter = Math.max(1, maxEntries >> 2);
  const lookup = (key: string, token: string, from: number): AuthInfo<JWTClaims> | undefined => {
    const entry = entries.get(key);
    if (!entry || !sameHead(entry.head, token, from)) return undefined;
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
  const store = (
    key: string,
    token: string,
    from: number,
    auth: AuthInfo<JWTClaims>,
    expiresAt: number,
  ): void => {
    entries.delete(key);
    // Shared by every later hit: frozen once here (a no-op for the verifier's own results).
    const header = deepFreeze(auth.header);
    const claims = deepFreeze(auth.claims);
    const scopes = auth.scopes instanceof SealedSet ? auth.scopes : new SealedSet(auth.scopes);
    const head = from === 0 ? '' : ownCopy(token.slice(0, from));
    entries.set(key, { head, header, claims, scopes, expiresAt, stamp: ++tick });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  };
  const get = (token: string) => {
    const key = keyFor(token);
    return lookup(key, token, lastHashedFrom);
  };
  const set = (token: string, auth: AuthInfo<JWTClaims>): void => {
    const exp = auth.claims.exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp * 1000 <= now()) return;
    const key = keyFor(token);
    store(key, token, lastHashedFrom, auth, exp * 1000);
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
