// Opaque (reference) tokens, resolved by the authorization server's introspection endpoint
// (RFC 7662), optionally as a signed JWT response (RFC 9701).
import type { JWK } from 'jose';
import type { Duration } from '../options.js';

/**
 * How to ask an issuer's introspection endpoint about a token (RFC 7662).
 *
 * A token that is not a compact JWS or JWE (an opaque token) goes to the endpoint; JWTs keep
 * the local path (signature checked with the issuer's keys) unless `tokens: 'all'`, and when
 * the issuer has no local key source every token is introspected. The answer goes through the
 * same claims policy (issuer, audience, time claims, required claims, validators, `isRevoked`),
 * scopes and DPoP / certificate binding (`cnf`) as a JWT's claims. `active: false` is a 401
 * `invalid_token` (`InactiveTokenError`); an endpoint that is down, slow or answers nonsense is
 * a 503 with `Retry-After` (`IntrospectionUnavailableError`), never a 401 and never accepted.
 *
 * @example
 * createVerifier({ issuer: 'https://id.example/', audience: 'api', discovery: true,
 *   introspection: { clientId: 'api', clientSecret: process.env.INTROSPECTION_SECRET } });
 */
export interface IntrospectionOptions {
  /**
   * The endpoint. Default: `introspection_endpoint` from the issuer's discovery document
   * (OIDC Discovery / RFC 8414), found from `issuer`.
   */
  endpoint?: string | URL;
  /** This API's client id at the authorization server. */
  clientId: string;
  /** With `client_secret_basic` / `client_secret_post`. */
  clientSecret?: string;
  /**
   * How this API authenticates to the endpoint (RFC 7591 `token_endpoint_auth_method`).
   * Default `client_secret_basic`, or `private_key_jwt` when `privateKey` is set.
   */
  clientAuth?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** With `private_key_jwt`: the signing key (PKCS#8 PEM, private JWK or `CryptoKey`). */
  privateKey?: string | JWK | CryptoKey;
  /**
   * With `private_key_jwt`: the assertion's `alg`. Default: the JWK's `alg`, or what the
   * `CryptoKey` is for; required with a PEM key.
   */
  signingAlgorithm?: string;
  /** With `private_key_jwt`: the assertion's `kid` header. Default: the JWK's `kid`. */
  keyId?: string;
  /**
   * Which tokens are introspected: `'opaque'` (not a JWS/JWE; JWTs are verified locally) or
   * `'all'`. Default `'opaque'` when the issuer has a local key source (`secret`, `keys`,
   * `jwksUri`, `discovery`, `getKey`), `'all'` when it has none (then `'opaque'` is refused).
   */
  tokens?: 'opaque' | 'all';
  /** Time allowed for one request, seconds or `'5s'`. Default 5 seconds. */
  timeout?: Duration;
  /** Largest accepted response body, bytes. Default 65536. */
  maxResponseSize?: number;
  /**
   * Remember active answers, keyed by a SHA-256 of the token, for at most `maxAge` (seconds or
   * `'30s'`) and never past the token's `exp`: a token revoked meanwhile is accepted until
   * then. `maxEntries` bounds the memory (least recently used evicted; default 1000). Default:
   * off (every request asks the server; concurrent requests with one token share one call).
   */
  cache?: { maxAge: Duration; maxEntries?: number };
  /**
   * With `cache`: how long past `maxAge` a remembered active answer may still be used while the
   * endpoint is down (seconds or `'5m'`; never past the token's `exp`). Such a token may have
   * been revoked meanwhile; that is the trade this opts into. Default 0: an outage is a 503.
   */
  staleIfError?: Duration;
  /**
   * RFC 9701: ask for a signed answer (`Accept: application/token-introspection+jwt`) and accept
   * only that: a JWT with `typ` `token-introspection+jwt`, signed by one of the issuer's keys
   * (its local key source, which this then requires), `iss` the issuer and `aud` `clientId`.
   * Default false.
   */
  jwtResponse?: boolean;
  /** The `fetch` to use (a proxy agent, a test double). Default: the global `fetch`. */
  fetch?: typeof fetch;
}
