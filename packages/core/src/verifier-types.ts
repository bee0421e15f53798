// The verifier's public shapes, shared by both entries.

import type { TokengateError } from './errors.js';
import type { SignatureVerifier, VerifierHealth } from './keys/types.js';
import type { VerifierOptions } from './options.js';
import type { SegmentDecoder } from './parse.js';
import type { AuthInfo, OptionalMode, RegisteredClaims, TokenRequest } from './types.js';

/**
 * Per-call overrides of {@link Verifier.authenticate}.
 *
 * @example
 * await verifier.authenticate(request, { optional: 'allow-missing' });
 */
export interface AuthenticateOptions {
  /** Override the verifier's optional mode for this call (`false`: required). */
  optional?: OptionalMode | false;
}

/**
 * A configured verifier. Build one per application and share it (it owns the JWKS cache).
 *
 * @example
 * const verifier: Verifier = createVerifier({ secret: process.env.JWT_SECRET });
 */
export interface Verifier<C = RegisteredClaims> {
  /** Verify a compact token. Resolves to the verified {@link AuthInfo} or throws a `TokengateError`. */
  verify(token: string): Promise<AuthInfo<C>>;
  /**
   * Extract the token from a request and verify it. Resolves to `null` when optional auth
   * lets the request through without claims; throws a `TokengateError` otherwise.
   * Thrown errors already carry the configured realm / resource_metadata.
   */
  authenticate(request: TokenRequest, options?: AuthenticateOptions): Promise<AuthInfo<C> | null>;
  /**
   * {@link Verifier.verify} for hot paths: returns the {@link AuthInfo} itself when nothing
   * asynchronous was needed (keys in memory, a synchronous signature step or a cache hit, no
   * async hooks), else a promise. A failure is thrown (or rejected) as a `TokengateError`.
   * Adapters use it to skip a turn of the microtask queue per request; most code wants `verify`.
   *
   * @example
   * const auth = verifier.verifyNow(token);
   * const claims = (auth instanceof Promise ? await auth : auth).claims;
   */
  verifyNow(token: string): AuthInfo<C> | Promise<AuthInfo<C>>;
  /**
   * {@link Verifier.authenticate} for hot paths: the result itself (`AuthInfo`, or `null` when
   * optional auth lets the request through) when nothing asynchronous was needed, else a
   * promise. A failure is thrown (or rejected) as a prepared `TokengateError`.
   *
   * @example
   * const result = verifier.authenticateNow(request);
   * const auth = result instanceof Promise ? await result : result;
   */
  authenticateNow(
    request: TokenRequest,
    options?: AuthenticateOptions,
  ): AuthInfo<C> | null | Promise<AuthInfo<C> | null>;
  /** Stamp the configured challenge options on an error raised outside the verifier (e.g. a scope check). */
  prepareError<E extends TokengateError>(error: E): E;
  /**
   * Health of the remote key sources (JWKS / discovery), by issuer, for readiness probes.
   *
   * @example
   * if (verifier.health().state === 'empty') return res.status(503).end();
   */
  health(): VerifierHealth;
  /**
   * The options this verifier was built with: frozen, not enumerable (kept out of logs), and
   * without `secret`, `decryption` or any `issuers[i].secret`.
   */
  readonly options: Readonly<VerifierOptions>;
}

/**
 * The runtime-specific steps of verification: segment decoding, the signature check and the
 * cache key digest. Everything else (syntax rules, key selection, claims policy, errors) is
 * shared. The default engine uses jose and Web APIs; the `node` export condition of
 * `@tokengate/core` swaps in node:crypto `KeyObject`s, `Buffer` and a synchronous SHA-256.
 *
 * @example
 * const verifier = createVerifierWith(myEngine, { secret: process.env.JWT_SECRET });
 */
export interface VerifyEngine {
  /** Decodes the header, payload and signature segments. */
  readonly decoder: SegmentDecoder;
  /** Checks the signature with one candidate key. */
  readonly signature: SignatureVerifier;
  /** Cache key of a whole token (base64url SHA-256), for the opt-in verified-token cache. */
  digest?(token: string): string | Promise<string>;
}
