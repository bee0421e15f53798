// The verifier's public shapes, shared by both entries.

import type { SignatureVerifier, VerifierHealth } from './keys/types.js';
import type { VerifierOptions } from './options.js';
import type { SegmentDecoder } from './parse.js';
import type { Telemetry } from './telemetry/types.js';
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
 * const verifier: Verifier = createVerifier({ secret: process.env.JWT_SECRET, issuer, audience });
 */
export interface Verifier<C = RegisteredClaims> {
  /** Verify a compact token. Resolves to the verified {@link AuthInfo} or throws a `TokengateError`. */
  verify(token: string): Promise<AuthInfo<C>>;
  /**
   * Extract the token from a request and verify it. Resolves to `undefined` when optional
   * auth lets the request through without claims; rejects with a `TokengateError` otherwise,
   * carrying the configured realm / resource_metadata.
   */
  authenticate(
    request: TokenRequest,
    options?: AuthenticateOptions,
  ): Promise<AuthInfo<C> | undefined>;
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
 * shared. The default engine uses Web Crypto (`crypto.subtle.verify` with keys prepared once,
 * jose for key import and the keys only jose can convert); the `node` export condition of
 * `@tokengate/core` swaps in node:crypto `KeyObject`s, `Buffer` and node:crypto's SHA-256.
 *
 * @example
 * const verifier = createVerifierWith(myEngine, { secret: process.env.JWT_SECRET, issuer, audience });
 */
export interface VerifyEngine {
  /** Decodes the header, payload and signature segments. */
  readonly decoder: SegmentDecoder;
  /** Checks the signature with one candidate key. */
  readonly signature: SignatureVerifier;
  /**
   * SHA-256 of a text (UTF-8) as a 32-character binary string: the key of the opt-in
   * verified-token cache and of the introspection cache. Synchronous, so that a cached token is
   * answered without waiting.
   */
  digest(text: string): string;
  /**
   * The runtime's own receiver of verification and key-set events, heard besides the
   * `telemetry` option (the Node engine publishes them on diagnostics_channel).
   */
  readonly telemetry?: Telemetry;
}
