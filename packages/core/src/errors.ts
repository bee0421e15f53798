/**
 * Every failure tokengate reports is a {@link TokengateError}: a stable `code`, an HTTP
 * `status` (also as `statusCode`, which Express and Fastify error handlers read), the
 * RFC 6750 §3 `WWW-Authenticate` challenge and a JSON body that is safe to send.
 *
 * Messages are written for people and never carry key material, the token or a stack
 * trace; the underlying jose error, when there is one, stays in `cause` for logs.
 */

import { brand, isInstance } from './brand.js';

/**
 * RFC 6750 §3.1 error codes.
 *
 * @example
 * const code: BearerErrorCode = 'invalid_token';
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * RFC 9449 §7.1 and §9 error codes of the `DPoP` challenge.
 *
 * @example
 * const code: DpopErrorCode = 'use_dpop_nonce';
 */
export type DpopErrorCode = 'invalid_dpop_proof' | 'use_dpop_nonce';

/**
 * The authentication schemes a request can use: RFC 6750 `Bearer` and RFC 9449 `DPoP`.
 *
 * @example
 * if (error.scheme === 'DPoP') retryWithNewProof();
 */
export type AuthScheme = 'Bearer' | 'DPoP';

/**
 * Parameters of the `WWW-Authenticate` challenge that come from configuration.
 *
 * @example
 * error.challengeOptions = { realm: 'api', resourceMetadata: 'https://api.example/.well-known/oauth-protected-resource' };
 */
export interface ChallengeOptions {
  /** RFC 6750 §3 `realm`. */
  realm?: string;
  /** RFC 9728 §5.1 `resource_metadata`: URL of the protected resource metadata. */
  resourceMetadata?: string;
  /**
   * RFC 6750 §3 `scope`: the scopes the refused route requires, space-separated, so that a
   * client without a token (a 401) knows what to ask for (the MCP authorization spec). An
   * `insufficient_scope` error names its own.
   */
  scope?: string;
  /**
   * RFC 9449 §7.1: the `DPoP` challenge, when DPoP is on. `required: false` offers it beside
   * `Bearer`; `required: true` instead of it. `algorithms` become its `algs` parameter.
   */
  dpop?: { readonly required: boolean; readonly algorithms: readonly string[] };
}

/**
 * The JSON body adapters send with an error.
 *
 * @example
 * const body: ErrorBody = error.toJSON(); // { error: 'invalid_token', error_description, code }
 */
export interface ErrorBody {
  /** The RFC 6750 error code, or `unauthorized` / `temporarily_unavailable`. */
  error: string;
  /** A short, safe, human-readable description. */
  error_description: string;
  /** The stable tokengate code, e.g. `ERR_TOKEN_EXPIRED`. */
  code: string;
  /** The claim (or header parameter, e.g. `typ`) that failed, on `ERR_CLAIM_INVALID` only. */
  claim?: string;
}

/**
 * What an adapter needs to answer an error: status, headers and body.
 *
 * @example
 * const { status, headers, body }: ErrorResponse = error.toResponse();
 */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

function challenge(scheme: AuthScheme, params: readonly [string, string][]): string {
  if (params.length === 0) return scheme;
  return `${scheme} ${params.map(([k, v]) => `${k}=${quote(v)}`).join(', ')}`;
}

// RFC 6750 §3: auth-param values are quoted-strings; a quote or backslash must be escaped,
// and control characters have no place in a header value.
function quote(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Base class of every tokengate error. `instanceof` it (and each subclass) also holds for an
 * error thrown by another copy of `@tokengate/core` in the same process: the ESM and the
 * CommonJS build, or another version.
 *
 * @example
 * if (error instanceof TokengateError) res.status(error.status).set(error.headers).json(error);
 */
export abstract class TokengateError extends Error {
  static {
    brand(TokengateError, 'TokengateError');
  }

  /**
   * True for an instance of this class from any copy of `@tokengate/core`, checked by the
   * prototype chain or else by the lineage the error's own copy stamped.
   *
   * @example
   * const expired = error instanceof TokenExpiredError; // also for the CommonJS build's errors
   */
  static override [Symbol.hasInstance]<T>(
    this: abstract new (
      ...args: never[]
    ) => T,
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, a subclass
    return isInstance(this, value);
  }

  /** Stable machine-readable code, e.g. `ERR_TOKEN_EXPIRED`. */
  abstract readonly code: string;
  /** HTTP status an adapter answers with. */
  abstract readonly status: number;
  /** The challenge's error code (RFC 6750 §3.1, RFC 9449 §7.1), if any. */
  readonly bearerError: BearerErrorCode | DpopErrorCode | undefined = undefined;
  /**
   * The scheme the refused request used; its challenge carries the error code. `undefined`:
   * `Bearer`, or `DPoP` where only DPoP is accepted.
   */
  scheme: AuthScheme | undefined = undefined;
  /** Challenge parameters; the verifier fills them from its options before throwing. */
  challengeOptions: ChallengeOptions = {};

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Same as `status`; read by Express's and Fastify's error handlers. */
  get statusCode(): number {
    return this.status;
  }

  /** Extra challenge parameters beyond realm/error/error_description (e.g. `scope`). */
  protected challengeExtras(): Record<string, string> {
    return {};
  }

  /**
   * The `WWW-Authenticate` header value (RFC 6750 §3, RFC 9449 §7.1), or `undefined` when none
   * is sent. With DPoP on, one challenge per accepted scheme; the error code goes on the
   * scheme the request used.
   */
  get wwwAuthenticate(): string | undefined {
    const { dpop } = this.challengeOptions;
    if (dpop === undefined) return challenge('Bearer', this.challengeParams(true));
    const erring = this.scheme ?? (dpop.required ? 'DPoP' : 'Bearer');
    const dpopParams = this.challengeParams(erring === 'DPoP');
    dpopParams.push(['algs', dpop.algorithms.join(' ')]);
    const dpopChallenge = challenge('DPoP', dpopParams);
    if (dpop.required) return dpopChallenge;
    return `${challenge('Bearer', this.challengeParams(erring === 'Bearer'))}, ${dpopChallenge}`;
  }

  // realm, then (on the erring scheme) error, error_description and the extras, then the
  // route's scope unless the extras named one, then resource_metadata.
  private challengeParams(withError: boolean): [string, string][] {
    const { realm, resourceMetadata, scope } = this.challengeOptions;
    const params: [string, string][] = [];
    if (realm !== undefined) params.push(['realm', realm]);
    const extras = this.challengeExtras();
    if (withError && this.bearerError) {
      params.push(['error', this.bearerError]);
      params.push(['error_description', this.message]);
      for (const [k, v] of Object.entries(extras)) params.push([k, v]);
    }
    if (scope !== undefined && extras.scope === undefined) params.push(['scope', scope]);
    if (resourceMetadata !== undefined) params.push(['resource_metadata', resourceMetadata]);
    return params;
  }

  /** Response headers for this error (`WWW-Authenticate`, `Retry-After` where they apply). */
  get headers(): Record<string, string> {
    const value = this.wwwAuthenticate;
    return value === undefined ? {} : { 'WWW-Authenticate': value };
  }

  /** The safe JSON body. */
  toJSON(): ErrorBody {
    return {
      error: this.bearerError ?? 'unauthorized',
      error_description: this.message,
      code: this.code,
    };
  }

  /** Status, headers and body in one object, for adapters. */
  toResponse(): ErrorResponse {
    return { status: this.status, headers: this.headers, body: this.toJSON() };
  }
}

/**
 * No token in the request (RFC 6750 §3.1: the challenge carries no error code). 401.
 *
 * @example
 * throw new MissingTokenError(); // 401, WWW-Authenticate: Bearer realm="api"
 */
export class MissingTokenError extends TokengateError {
  static {
    brand(MissingTokenError, 'ERR_TOKEN_MISSING');
  }
  readonly code = 'ERR_TOKEN_MISSING';
  readonly status = 401;
  constructor(message = 'Authentication required', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The request itself is malformed: two credentials, bad `Authorization` syntax. 400.
 *
 * @example
 * throw new InvalidRequestError('Only one credential may be sent'); // 400 invalid_request
 */
export class InvalidRequestError extends TokengateError {
  static {
    brand(InvalidRequestError, 'ERR_INVALID_REQUEST');
  }
  readonly code = 'ERR_INVALID_REQUEST';
  readonly status = 400;
  override readonly bearerError = 'invalid_request' as const;
}

/**
 * Base of the 401 `invalid_token` family.
 *
 * @example
 * if (error instanceof InvalidTokenError) metrics.count('bad_token', error.code);
 */
export abstract class InvalidTokenError extends TokengateError {
  static {
    brand(InvalidTokenError, 'InvalidTokenError');
  }
  readonly status = 401;
  override readonly bearerError = 'invalid_token' as const;
}

/**
 * Not a well-formed compact JWS/JWE (segments, base64url, JSON, size). 401.
 *
 * @example
 * throw new MalformedTokenError(); // 401 invalid_token, ERR_TOKEN_MALFORMED
 */
export class MalformedTokenError extends InvalidTokenError {
  static {
    brand(MalformedTokenError, 'ERR_TOKEN_MALFORMED');
  }
  readonly code = 'ERR_TOKEN_MALFORMED';
  constructor(message = 'The token is malformed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The signature does not verify, or no trusted key matches the token. 401.
 *
 * @example
 * throw new InvalidSignatureError(undefined, { cause: joseError }); // 401 invalid_token
 */
export class InvalidSignatureError extends InvalidTokenError {
  static {
    brand(InvalidSignatureError, 'ERR_SIGNATURE_INVALID');
  }
  readonly code = 'ERR_SIGNATURE_INVALID';
  constructor(message = 'The token signature is invalid', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The token's `alg` is not on the allow-list (or is `none`), or does not fit the key. 401.
 *
 * @example
 * throw new UnsupportedAlgorithmError(); // 401 invalid_token, ERR_ALGORITHM_UNSUPPORTED
 */
export class UnsupportedAlgorithmError extends InvalidTokenError {
  static {
    brand(UnsupportedAlgorithmError, 'ERR_ALGORITHM_UNSUPPORTED');
  }
  readonly code = 'ERR_ALGORITHM_UNSUPPORTED';
  constructor(message = 'The token algorithm is not allowed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * `exp` is in the past (beyond the clock tolerance). 401.
 *
 * @example
 * throw new TokenExpiredError(); // 401 invalid_token, ERR_TOKEN_EXPIRED
 */
export class TokenExpiredError extends InvalidTokenError {
  static {
    brand(TokenExpiredError, 'ERR_TOKEN_EXPIRED');
  }
  readonly code = 'ERR_TOKEN_EXPIRED';
  constructor(message = 'The token has expired', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * `nbf` (or `iat`) is in the future (beyond the clock tolerance). 401.
 *
 * @example
 * throw new TokenNotYetValidError(); // 401 invalid_token, ERR_TOKEN_NOT_YET_VALID
 */
export class TokenNotYetValidError extends InvalidTokenError {
  static {
    brand(TokenNotYetValidError, 'ERR_TOKEN_NOT_YET_VALID');
  }
  readonly code = 'ERR_TOKEN_NOT_YET_VALID';
  constructor(message = 'The token is not yet valid', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A claim is missing, mistyped or has a value the policy refuses. Names the claim. 401.
 *
 * @example
 * throw new InvalidClaimError('org', 'The token is not for this organisation'); // error.claim === 'org'
 */
export class InvalidClaimError extends InvalidTokenError {
  static {
    brand(InvalidClaimError, 'ERR_CLAIM_INVALID');
  }
  readonly code = 'ERR_CLAIM_INVALID';
  /** The claim (or header parameter, e.g. `typ`) that failed. */
  readonly claim: string;
  constructor(claim: string, message?: string, options?: { cause?: unknown }) {
    super(message ?? `The "${claim}" claim is invalid`, options);
    this.claim = claim;
  }
  /** The safe JSON body, naming the claim so a client need not parse the description. */
  override toJSON(): ErrorBody {
    return { ...super.toJSON(), claim: this.claim };
  }
}

/**
 * The `isRevoked` hook said the token is revoked. 401.
 *
 * @example
 * throw new RevokedTokenError(); // 401 invalid_token, ERR_TOKEN_REVOKED
 */
export class RevokedTokenError extends InvalidTokenError {
  static {
    brand(RevokedTokenError, 'ERR_TOKEN_REVOKED');
  }
  readonly code = 'ERR_TOKEN_REVOKED';
  constructor(message = 'The token has been revoked', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The token is bound to its sender (RFC 9449 `cnf.jkt`, RFC 8705 `cnf["x5t#S256"]`) and this
 * request does not prove it: a DPoP-bound token sent as a bearer token, a proof or client
 * certificate of another key, no client certificate, or a binding this verifier is not set up
 * to check. 401 `invalid_token`.
 *
 * @example
 * throw new TokenBindingError('The token is bound to a DPoP key; send it with the DPoP scheme');
 */
export class TokenBindingError extends InvalidTokenError {
  static {
    brand(TokenBindingError, 'ERR_TOKEN_BINDING');
  }
  readonly code = 'ERR_TOKEN_BINDING';
  constructor(message = 'The token is not bound to this sender', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The DPoP proof (RFC 9449 §4.3) is missing, malformed, or does not match the request or the
 * token: `typ`, `alg`, `jwk`, signature, `htm`, `htu`, `iat`, `ath`, `jti`. The message says
 * which. 401 `invalid_dpop_proof` on the `DPoP` challenge.
 *
 * @example
 * throw new InvalidDpopProofError('The DPoP proof is for another method'); // 401 invalid_dpop_proof
 */
export class InvalidDpopProofError extends TokengateError {
  static {
    brand(InvalidDpopProofError, 'ERR_DPOP_PROOF_INVALID');
  }
  readonly code: string = 'ERR_DPOP_PROOF_INVALID';
  readonly status = 401;
  override readonly bearerError = 'invalid_dpop_proof' as const;
  override scheme: AuthScheme | undefined = 'DPoP';
  constructor(message = 'The DPoP proof is invalid', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The DPoP proof was already used: its `jti` was seen with the same key within the proof
 * window (RFC 9449 §11.1). 401 `invalid_dpop_proof`.
 *
 * @example
 * throw new DpopProofReplayedError(); // 401 invalid_dpop_proof, ERR_DPOP_PROOF_REPLAYED
 */
export class DpopProofReplayedError extends InvalidDpopProofError {
  static {
    brand(DpopProofReplayedError, 'ERR_DPOP_PROOF_REPLAYED');
  }
  override readonly code = 'ERR_DPOP_PROOF_REPLAYED';
  constructor(message = 'The DPoP proof has already been used', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The server asks for a DPoP nonce (RFC 9449 §8, §9): the proof carried none, or a stale one.
 * 401 `use_dpop_nonce` with the nonce to use in the `DPoP-Nonce` header; the client retries
 * with a new proof that carries it.
 *
 * @example
 * throw new UseDpopNonceError(nonce); // 401, DPoP-Nonce: <nonce>
 */
export class UseDpopNonceError extends TokengateError {
  static {
    brand(UseDpopNonceError, 'ERR_DPOP_NONCE_REQUIRED');
  }
  readonly code = 'ERR_DPOP_NONCE_REQUIRED';
  readonly status = 401;
  override readonly bearerError = 'use_dpop_nonce' as const;
  override scheme: AuthScheme | undefined = 'DPoP';
  /** The nonce the next proof must carry. */
  readonly nonce: string;
  constructor(nonce: string, message = 'A DPoP nonce is required') {
    super(message);
    this.nonce = nonce;
  }
  override get headers(): Record<string, string> {
    return { ...super.headers, 'DPoP-Nonce': this.nonce };
  }
}

/**
 * The token is valid but lacks required scopes. 403 with `scope="…"` (RFC 6750 §3.1).
 *
 * @example
 * throw new InsufficientScopeError(['orders:write']); // 403, scope="orders:write"
 */
export class InsufficientScopeError extends TokengateError {
  static {
    brand(InsufficientScopeError, 'ERR_INSUFFICIENT_SCOPE');
  }
  readonly code = 'ERR_INSUFFICIENT_SCOPE';
  readonly status = 403;
  override readonly bearerError = 'insufficient_scope' as const;
  /** The scopes the resource requires. */
  readonly scopes: readonly string[];
  constructor(scopes: readonly string[], message = 'The token lacks the required scope') {
    super(message);
    this.scopes = scopes;
  }
  protected override challengeExtras(): Record<string, string> {
    return { scope: this.scopes.join(' ') };
  }
}

/**
 * No key set could be obtained (JWKS unreachable and nothing usable cached). 503.
 *
 * @example
 * throw new KeySetUnavailableError(undefined, { retryAfter: 10 }); // 503, Retry-After: 10
 */
export class KeySetUnavailableError extends TokengateError {
  static {
    brand(KeySetUnavailableError, 'ERR_KEY_SET_UNAVAILABLE');
  }
  readonly code = 'ERR_KEY_SET_UNAVAILABLE';
  readonly status = 503;
  /** Seconds a client should wait before retrying (`Retry-After`). */
  readonly retryAfter: number;
  constructor(
    message = 'The signing keys are temporarily unavailable',
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(message, options);
    this.retryAfter = options?.retryAfter ?? 30;
  }
  /** A 503 carries no challenge: the client's credentials are not at fault. */
  override get wwwAuthenticate(): string | undefined {
    return undefined;
  }
  override get headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfter) };
  }
  override toJSON(): ErrorBody {
    return { error: 'temporarily_unavailable', error_description: this.message, code: this.code };
  }
}

/**
 * A store the verification or the issuer needs (the revocation hook, the DPoP replay store, the
 * refresh-token store) failed or did not answer. 503 with `Retry-After` and no challenge: the
 * client's credentials are not at fault, and a request whose state cannot be checked is refused,
 * never accepted. Store implementations throw it (or a subclass, such as `@tokengate/redis`'s
 * `RedisUnavailableError`); core wraps any other error a store throws in it.
 *
 * @example
 * throw new StoreUnavailableError(undefined, { retryAfter: 5 }); // 503, Retry-After: 5
 */
export class StoreUnavailableError extends TokengateError {
  static {
    brand(StoreUnavailableError, 'ERR_STORE_UNAVAILABLE');
  }
  readonly code: string = 'ERR_STORE_UNAVAILABLE';
  readonly status = 503;
  /** Seconds a client should wait before retrying (`Retry-After`). */
  readonly retryAfter: number;
  constructor(
    message = 'The token state is temporarily unavailable',
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(message, options);
    this.retryAfter = options?.retryAfter ?? 5;
  }
  /**
   * What a store's failure becomes: a tokengate error it threw as it is (a store's own
   * `StoreUnavailableError`, a `RevokedTokenError`), anything else wrapped, with `message`.
   *
   * @example
   * try { await store.claim(key, at); } catch (cause) { throw StoreUnavailableError.from(cause, 'The replay store failed'); }
   */
  static from(cause: unknown, message: string): TokengateError {
    return isTokengateError(cause) ? cause : new StoreUnavailableError(message, { cause });
  }
  /** A 503 carries no challenge: the client's credentials are not at fault. */
  override get wwwAuthenticate(): string | undefined {
    return undefined;
  }
  // RFC 6749 §5.1: a token endpoint's answers are never cached either.
  override get headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfter), 'Cache-Control': 'no-store' };
  }
  override toJSON(): ErrorBody {
    return { error: 'temporarily_unavailable', error_description: this.message, code: this.code };
  }
}

/**
 * A guard (`requireScopes()`, `requireClaims()`) ran on a request that no authentication
 * middleware of the same gate handled first: the route is misconfigured. 500, no challenge:
 * the request is refused rather than let through, and the client is not at fault.
 *
 * @example
 * throw new AuthenticationNotRunError('requireScopes()'); // 500 server_error, ERR_AUTHENTICATION_NOT_RUN
 */
export class AuthenticationNotRunError extends TokengateError {
  static {
    brand(AuthenticationNotRunError, 'ERR_AUTHENTICATION_NOT_RUN');
  }
  readonly code = 'ERR_AUTHENTICATION_NOT_RUN';
  readonly status = 500;
  /** The guard that found no authentication before it, e.g. `requireScopes()`. */
  readonly guard: string;
  constructor(guard: string) {
    super('Authentication is not configured for this route');
    this.guard = guard;
  }
  /** A 500 carries no challenge: the client's credentials are not at fault. */
  override get wwwAuthenticate(): string | undefined {
    return undefined;
  }
  override toJSON(): ErrorBody {
    return { error: 'server_error', error_description: this.message, code: this.code };
  }
}

/**
 * True for any tokengate error, from any copy of `@tokengate/core` in the process.
 *
 * @example
 * if (isTokengateError(error)) return reply.code(error.status).headers(error.headers).send(error);
 */
export function isTokengateError(value: unknown): value is TokengateError {
  return value instanceof TokengateError;
}
