// The two outcomes of introspection that are not an accepted token: the server says the token
// is not active (the client's problem: 401), or the server could not be asked or gave an
// answer that cannot be trusted (not the client's problem: 503, never a 401, never accepted).
import { brand } from '../brand.js';
import { InvalidTokenError, StoreUnavailableError } from '../errors.js';
import type { KeySourceFailureCause } from '../keys/types.js';

/**
 * Why an introspection call failed, typed: the transport failures of a key-set fetch
 * (`http-status`, `redirect`, `timeout`, `dns`, `tls`, `network`, `not-json`, `too-large`),
 * or an answer that is not a valid introspection response.
 *
 * @example
 * if (error.failure.kind === 'bad-response') log.error(error.failure.reason);
 */
export type IntrospectionFailureCause =
  | Extract<
      KeySourceFailureCause,
      {
        kind:
          | 'http-status'
          | 'redirect'
          | 'timeout'
          | 'dns'
          | 'tls'
          | 'network'
          | 'not-json'
          | 'too-large'
          | 'bad-discovery';
      }
    >
  /** The discovery document names no usable `introspection_endpoint`. */
  | { kind: 'no-endpoint' }
  /** The JSON is not an RFC 7662 response (`active` not a boolean), or the RFC 9701 JWT failed its checks. */
  | { kind: 'bad-response'; reason: string };

/**
 * The introspection endpoint says the token is not active (RFC 7662 §2.2 `active: false`):
 * expired, revoked, unknown to the server or not for this client. 401 `invalid_token`.
 *
 * @example
 * throw new InactiveTokenError(); // 401 invalid_token, ERR_TOKEN_INACTIVE
 */
export class InactiveTokenError extends InvalidTokenError {
  static {
    brand(InactiveTokenError, 'ERR_TOKEN_INACTIVE');
  }
  readonly code = 'ERR_TOKEN_INACTIVE';
  constructor(message = 'The token is not active', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The introspection endpoint could not be asked (down, slow, a 5xx, a redirect) or gave an
 * answer that cannot be trusted (not JSON, not an RFC 7662 response, an RFC 9701 JWT that fails
 * its checks). 503 with `Retry-After`, no challenge: the token is neither accepted nor called
 * invalid. `failure` says why.
 *
 * @example
 * throw new IntrospectionUnavailableError(url, { kind: 'timeout', timeoutMs: 5000 }); // 503
 */
export class IntrospectionUnavailableError extends StoreUnavailableError {
  static {
    brand(IntrospectionUnavailableError, 'ERR_INTROSPECTION_UNAVAILABLE');
  }
  override readonly code: string = 'ERR_INTROSPECTION_UNAVAILABLE';
  /** The URL asked (the endpoint, or the discovery document). */
  readonly url: string;
  /** Why, typed. */
  readonly failure: IntrospectionFailureCause;
  constructor(
    url: string,
    failure: IntrospectionFailureCause,
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super('The token could not be checked with its issuer', options);
    this.url = url;
    this.failure = failure;
  }
}
