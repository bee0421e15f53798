import type { KeyResolver, SecretInput, StaticKeyInput } from './keys/types.js';
import type { JWTClaims, OptionalMode, ProtectedHeader, TokenRequest } from './types.js';

/**
 * A custom claim check; throw (ideally an `InvalidClaimError`) to reject.
 *
 * @example
 * const orgOnly: ClaimValidator = (claims) => {
 *   if (claims.org !== 'acme') throw new InvalidClaimError('org');
 * };
 */
export type ClaimValidator = (claims: JWTClaims, header: ProtectedHeader) => void | Promise<void>;

/**
 * A duration in seconds, or a jose-style string such as `'5m'`, `'1h'`.
 *
 * @example
 * const tolerance: Duration = '30s'; // or 30
 */
export type Duration = number | string;

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
 * createVerifier({ jwksUri, jwks: { timeoutDuration: 2000, cooldownDuration: 60_000 } });
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
  /** Called after each failed fetch (timeout, HTTP error, bad body). */
  onFetchError?: (event: { uri: string; error: Error }) => void;
  /** Called when a token is verified with a set past its max age. */
  onStale?: (event: { uri: string; ageMs: number }) => void;
}

/**
 * One trusted issuer with its own key source and policy (multi-issuer setups).
 *
 * @example
 * const tenant: IssuerConfig = { issuer: 'https://t1.example/', jwksUri: 'https://t1.example/jwks', audience: 'api' };
 */
export interface IssuerConfig {
  /** The exact `iss` value. */
  issuer: string;
  /** Algorithm allow-list for this issuer's keys. */
  algorithms?: string[];
  audience?: string | string[];
  secret?: SecretInput | SecretInput[];
  keys?: StaticKeyInput | StaticKeyInput[];
  jwksUri?: string | URL;
  /** Find `jwks_uri` through OIDC discovery / RFC 8414 from `issuer`. */
  discovery?: boolean;
  getKey?: KeyResolver;
  jwks?: RemoteJwksOptions;
}

/**
 * Options of {@link createVerifier}. Unknown keys are refused with a `TypeError`.
 *
 * @example
 * const options: VerifierOptions = { jwksUri, issuer: 'https://id.example/', audience: 'api' };
 */
export interface VerifierOptions {
  // ---- where the keys come from (exactly one, or `issuers`) ----
  /** Shared secret(s) for HS256/384/512, each at least as long as the hash (32 bytes for HS256). */
  secret?: SecretInput | SecretInput[];
  /** Static public keys (PEM SPKI, X.509 PEM, JWK, JWK Set, CryptoKey, KeyObject). */
  keys?: StaticKeyInput | StaticKeyInput[];
  /** A remote JWK Set URL. */
  jwksUri?: string | URL;
  /** Find `jwks_uri` from `issuer` through OIDC discovery / RFC 8414. */
  discovery?: boolean;
  /** Resolve the key yourself. */
  getKey?: KeyResolver;
  /** Several trusted issuers, each with its own keys and policy; or a resolver for multi-tenant apps. */
  issuers?:
    | IssuerConfig[]
    | ((iss: string) => IssuerConfig | undefined | Promise<IssuerConfig | undefined>);
  /**
   * With an `issuers` function: most resolved issuers kept (least recently used evicted; a
   * re-resolved issuer's JWKS cache and refetch cooldown survive eviction). Default 100.
   */
  maxResolvedIssuers?: number;
  /** Remote JWKS / discovery tuning (only with `jwksUri`, `discovery` or remote `issuers`). */
  jwks?: RemoteJwksOptions;

  // ---- claims policy ----
  /**
   * Algorithm allow-list. `none` is never accepted. Default: `['HS256']` for `secret`, derived
   * from the key types for `keys`, the asymmetric set (RS/PS/ES 256-512, EdDSA) for a JWKS;
   * required with `getKey`. HS algorithms only with `secret`, the others never with it.
   */
  algorithms?: string[];
  /** Expected `iss` (one or several, exact match). Default: not checked (set it). */
  issuer?: string | string[];
  /** Expected `aud` (any match). Default: not checked (set it). */
  audience?: string | string[];
  /** Clock skew tolerance, seconds or `'5s'`. Default 5 seconds. */
  clockTolerance?: Duration;
  /** Maximum age since `iat`, seconds or `'1h'`. Requires `iat`. Default: no limit. */
  maxTokenAge?: Duration;
  /** Claims that must be present. `exp` is always required unless `requireExp: false`. Default `[]`. */
  requiredClaims?: string[];
  /** Require `exp`. Default true. */
  requireExp?: boolean;
  /** Allowed `typ` header values, or `'rfc9068'` for `at+jwt` / `application/at+jwt`. Default: any. */
  typ?: string | string[] | 'rfc9068';
  /** Custom checks run after the built-in ones. Default `[]`. */
  validators?: ClaimValidator[];
  /** Revocation hook; return true to reject with `RevokedTokenError` (anything but `false`, or a throw, rejects too). Default: none. */
  isRevoked?: (claims: JWTClaims, header: ProtectedHeader) => boolean | Promise<boolean>;

  // ---- token extraction (RFC 6750 §2) ----
  /** Also read the token from this cookie. Default off. */
  cookie?: string;
  /** Also read the `access_token` query parameter (RFC 6750 §2.3). Default false. */
  query?: boolean;
  /** Custom extractor; return `undefined` when absent. Replaces the built-in ones. Default: none. */
  extract?: (request: TokenRequest) => string | undefined | Promise<string | undefined>;
  /**
   * Largest accepted token in characters (UTF-16 code units, `token.length`), checked before
   * any parsing. A well-formed compact token is ASCII, so this is also its size in bytes.
   * Default 8192.
   */
  maxTokenSize?: number;

  // ---- responses ----
  /** RFC 6750 `realm` in challenges. Default: none (no `realm` parameter). */
  realm?: string;
  /** RFC 9728 `resource_metadata` URL in challenges. Default: none. */
  resourceMetadata?: string;
  /** Optional authentication mode. Default: required. */
  optional?: OptionalMode;

  // ---- JWE (nested JWT) ----
  /** Decryption keys; without them a JWE is refused. Default: none (JWE refused). */
  decryption?: {
    keys: StaticKeyInput | StaticKeyInput[] | Uint8Array;
    keyManagementAlgorithms?: string[];
    contentEncryptionAlgorithms?: string[];
  };

  // ---- performance ----
  /** Verified-token cache (LRU keyed by a hash of the token). Default off. */
  cache?: boolean | { maxEntries?: number };
}
