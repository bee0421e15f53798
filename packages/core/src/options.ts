import type { RemoteJwksOptions } from './keys/remote-options.js';
import type { KeyResolver, SecretInput, StaticKeyInput } from './keys/types.js';
import type { JWTClaims, OptionalMode, ProtectedHeader, TokenRequest } from './types.js';

// Declared beside the key sources, which need nothing else from this file; re-exported here
// because they are part of the verifier options an application writes.
export type {
  JwksCacheEntry,
  JwksCacheStore,
  RemoteJwksOptions,
} from './keys/remote-options.js';

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
