import type { IntrospectionOptions } from './introspection/types.js';
import type { RemoteJwksOptions } from './keys/remote-options.js';
import type { KeyResolver, SecretInput, StaticKeyInput } from './keys/types.js';
import type { ProtectedResourceOptions } from './resource/types.js';
import type { DpopOptions, MtlsOptions, TrustProxy } from './sender/types.js';
import type { Telemetry, TokengateLogger } from './telemetry/types.js';
import type { JWTClaims, OptionalMode, ProtectedHeader, TokenRequest } from './types.js';

export type { IntrospectionOptions } from './introspection/types.js';
// Declared beside the key sources, which need nothing else from this file; re-exported here
// because they are part of the verifier options an application writes.
export type {
  JwksCacheEntry,
  JwksCacheStore,
  RemoteJwksOptions,
} from './keys/remote-options.js';
// What the `logger` and `telemetry` options receive, and what `health()` says of a failing
// key source.
export type { KeySourceFailure, KeySourceFailureCause } from './keys/types.js';
export type { ProtectedResourceOptions } from './resource/types.js';
export type {
  CertificateHeader,
  DpopNonceOptions,
  DpopOptions,
  MtlsOptions,
  ReplayStore,
  TrustProxy,
} from './sender/types.js';
export type {
  KeySetFetchEvent,
  Telemetry,
  TokengateLogger,
  VerificationEvent,
} from './telemetry/types.js';

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
  /** The exact `iss` value. Required. */
  issuer: string;
  /** Algorithm allow-list for this issuer's keys. */
  algorithms?: string[];
  /**
   * Expected `aud` of this issuer's tokens (any match). Required here or as the top-level
   * `audience`, which is the default of every entry; `false` turns the check off for this
   * issuer, on purpose. An `undefined` value is refused.
   */
  audience?: string | string[] | false;
  secret?: SecretInput | SecretInput[];
  keys?: StaticKeyInput | StaticKeyInput[];
  jwksUri?: string | URL;
  /** Find `jwks_uri` through OIDC discovery / RFC 8414 from `issuer`. */
  discovery?: boolean;
  getKey?: KeyResolver;
  jwks?: RemoteJwksOptions;
  /** Resolve this issuer's opaque tokens through its RFC 7662 introspection endpoint. */
  introspection?: IntrospectionOptions;
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
  /**
   * Resolve opaque (reference) tokens through the issuer's RFC 7662 introspection endpoint.
   * Default: none (a token that is not a JWS or JWE is refused as malformed).
   */
  introspection?: IntrospectionOptions;

  // ---- claims policy ----
  /**
   * Algorithm allow-list. `none` is never accepted. Default: `['HS256']` for `secret`, derived
   * from the key types for `keys`, the asymmetric set (RS/PS/ES 256-512, EdDSA) for a JWKS;
   * required with `getKey`. HS algorithms only with `secret`, the others never with it.
   */
  algorithms?: string[];
  /**
   * Expected `iss` (one or several, exact match). Required with every key source (with
   * `issuers`, each entry's `issuer` takes its place). No default: a missing key or an
   * `undefined` value (`process.env.ISSUER` unset) is a `TypeError` at construction. `false`
   * is the explicit opt-out: any `iss` is accepted.
   */
  issuer?: string | string[] | false;
  /**
   * Expected `aud` (any match). Required with every key source (with `issuers`, here as the
   * default of every entry, or in each entry). No default: a missing key or an `undefined`
   * value is a `TypeError` at construction. `false` is the explicit opt-out: any `aud` (or
   * none) is accepted.
   */
  audience?: string | string[] | false;
  /** Clock skew tolerance, seconds or `'5s'`. Default 5 seconds. */
  clockTolerance?: Duration;
  /** Maximum age since `iat`, seconds or `'1h'`. Requires `iat`. Default: no limit. */
  maxTokenAge?: Duration;
  /** Claims that must be present. `exp` is always required unless `requireExp: false`. Default `[]`. */
  requiredClaims?: string[];
  /** Require `exp`. Default true. */
  requireExp?: boolean;
  /**
   * Allowed `typ` header values. `'rfc9068'` is the JWT access token profile: `typ` must be
   * `at+jwt` / `application/at+jwt` (RFC 9068 §4) and the claims RFC 9068 §2.2 makes
   * mandatory must be present (`iss`, `exp`, `aud`, `sub`, `client_id`, `iat`, `jti`, even
   * with `requireExp: false`); a missing one is an `InvalidClaimError` naming it. Default: any.
   */
  typ?: string | string[] | 'rfc9068';
  /** Custom checks run after the built-in ones. Default `[]`. */
  validators?: ClaimValidator[];
  /**
   * Revocation hook; return true to reject with `RevokedTokenError` (anything but `false`
   * rejects too). A hook that throws rejects with its error when it is a tokengate error, else
   * with `StoreUnavailableError` (503, `Retry-After`): never accepted, never a 401. Default: none.
   */
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

  // ---- sender-constrained tokens ----
  /**
   * DPoP (RFC 9449): `'off'`, `'allowed'` (Bearer and DPoP), `'required'` (DPoP only), or
   * {@link DpopOptions}. Default `'off'`. A DPoP-bound token (`cnf.jkt`) is never accepted as a
   * bearer token, whatever the mode.
   */
  dpop?: 'off' | 'allowed' | 'required' | DpopOptions;
  /**
   * Certificate-bound tokens (RFC 8705 §3): `'off'`, `'allowed'`, `'required'`, or
   * {@link MtlsOptions}. Default `'off'`, where a certificate-bound token is refused.
   */
  mtls?: 'off' | 'allowed' | 'required' | MtlsOptions;
  /**
   * Peers whose forwarded headers are believed (DPoP `htu`, the client certificate header).
   * Default `false`: no forwarded header is read.
   */
  trustProxy?: TrustProxy;

  // ---- responses ----
  /**
   * RFC 6750 §3 `realm` in every challenge (a challenge needs at least one auth-param).
   * Default `"api"`.
   */
  realm?: string;
  /** RFC 9728 `resource_metadata` URL in challenges. Default: none. */
  resourceMetadata?: string;
  /**
   * This API as an RFC 9728 protected resource: drives the metadata document the adapters
   * serve at `/.well-known/oauth-protected-resource` and the challenges' `resource_metadata`.
   * Default: none.
   */
  resource?: ProtectedResourceOptions;
  /** Optional authentication mode. Default: required. */
  optional?: OptionalMode;

  // ---- JWE (nested JWT) ----
  /**
   * Decrypt nested JWTs (a compact JWE whose plaintext is the signed JWT, RFC 7519 §5.2).
   * Default: none (a JWE is refused as malformed). A JWE whose `alg` or `enc` is off its
   * allow-list is an `UnsupportedAlgorithmError` whose message says which of the two.
   */
  decryption?: {
    /** Private keys (PKCS#8 PEM, private JWK or JWK Set, CryptoKey, KeyObject) or a symmetric key as bytes. */
    keys: StaticKeyInput | StaticKeyInput[] | Uint8Array;
    /**
     * Key-management (`alg`) allow-list. Accepted values: `RSA-OAEP`, `RSA-OAEP-256`,
     * `RSA-OAEP-384`, `RSA-OAEP-512`, `ECDH-ES`, `ECDH-ES+A128KW`, `ECDH-ES+A192KW`,
     * `ECDH-ES+A256KW`, `A128KW`, `A192KW`, `A256KW`, `dir`. `RSA-OAEP` (SHA-1) is never a
     * default: list it to accept it (python-jose produces it). `RSA1_5` (RFC 8725 §3.2) and
     * `PBES2-*` are not accepted. Default `['RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A256KW', 'dir']`.
     */
    keyManagementAlgorithms?: string[];
    /**
     * Content-encryption (`enc`) allow-list. Accepted values: `A128GCM`, `A192GCM`, `A256GCM`,
     * `A128CBC-HS256`, `A192CBC-HS384`, `A256CBC-HS512`. Default `['A256GCM']`.
     */
    contentEncryptionAlgorithms?: string[];
  };

  // ---- performance ----
  /** Verified-token cache (LRU keyed by a hash of the token). Default off. */
  cache?: boolean | { maxEntries?: number };

  // ---- observability ----
  /**
   * Where a remote key source's first failure (URL and cause) and its recovery are logged,
   * once each, never per request. `console`, pino / Fastify's `app.log` and Nest's `Logger`
   * fit. `false` silences it. Default `console` (the Fastify and Nest adapters default to the
   * app's logger).
   */
  logger?: TokengateLogger | false;
  /**
   * Receiver of verification outcomes and key-set fetches, e.g. `otelTelemetry()` from
   * `@tokengate/core/otel`. Default: none (on Node, the `tokengate:verify` and
   * `tokengate:jwks` diagnostics channels publish whenever they have subscribers).
   */
  telemetry?: Telemetry;
}
