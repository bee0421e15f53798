import { type ErrorBody, type InvalidDpopProofError, TokengateError } from '@tokengate/core';

/**
 * The RFC 6749 §5.2 / RFC 9449 §5, §8 `error` codes a token endpoint answers with.
 *
 * @example
 * const code: IssuerErrorCode = 'invalid_dpop_proof';
 */
export type IssuerErrorCode = 'invalid_grant' | 'invalid_dpop_proof' | 'use_dpop_nonce';

/**
 * Base of the token-endpoint errors. RFC 6749 §5.2: a refresh grant that fails answers
 * `400` with `{"error":"invalid_grant"}` and, like every token response, `Cache-Control:
 * no-store` (§5.1). There is no `WWW-Authenticate` challenge: the client authenticated
 * fine, its grant is what is wrong.
 *
 * @example
 * catch (e) { if (e instanceof IssuerError) return res.status(e.status).set(e.headers).json(e.toJSON()) }
 */
export abstract class IssuerError extends TokengateError {
  readonly status = 400;
  /** RFC 6749 §5.2 (RFC 9449 §5, §8 for DPoP) error code sent in the body. */
  readonly oauthError: IssuerErrorCode = 'invalid_grant';

  override get wwwAuthenticate(): string | undefined {
    return undefined;
  }

  override get headers(): Record<string, string> {
    return { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  }

  override toJSON(): ErrorBody {
    return { error: this.oauthError, error_description: this.message, code: this.code };
  }
}

/**
 * Why a refresh token was refused; for logs, never sent to the client.
 *
 * @example
 * if (e instanceof InvalidRefreshTokenError && e.reason === 'expired') log.info('session ended');
 */
export type InvalidRefreshTokenReason = 'malformed' | 'unknown' | 'expired' | 'revoked' | 'rotated';

/**
 * The refresh token is malformed, unknown, expired, revoked, or was just rotated (inside
 * `reuseInterval`). 400 `invalid_grant`; `reason` says which, for logs.
 *
 * @example
 * try { await tokens.refresh(rt) } catch (e) {
 *   if (e instanceof InvalidRefreshTokenError) res.status(e.status).json(e.toJSON());
 * }
 */
export class InvalidRefreshTokenError extends IssuerError {
  readonly code = 'ERR_REFRESH_TOKEN_INVALID';
  /** Why the token was refused (not part of the response body). */
  readonly reason: InvalidRefreshTokenReason;
  constructor(reason: InvalidRefreshTokenReason, message = 'The refresh token is invalid') {
    super(message);
    this.reason = reason;
  }
}

/**
 * An already-rotated refresh token was presented again: the whole family has been revoked
 * (OAuth 2.0 Security BCP, RFC 9700 §4.14.2). 400 `invalid_grant`.
 *
 * @example
 * catch (e) { if (e instanceof RefreshTokenReuseError) audit.warn('reuse', e.familyId) }
 */
export class RefreshTokenReuseError extends IssuerError {
  readonly code = 'ERR_REFRESH_TOKEN_REUSED';
  /** The family that was revoked, to correlate with sessions in logs. */
  readonly familyId: string;
  constructor(familyId: string, message = 'The refresh token is invalid') {
    super(message);
    this.familyId = familyId;
  }
}

/**
 * Why a DPoP-bound refresh token was refused; for logs, never sent to the client.
 *
 * @example
 * if (e instanceof RefreshTokenBindingError) log.warn('refresh without the DPoP key', e.reason);
 */
export type RefreshTokenBindingReason = 'missing-proof' | 'other-key';

/**
 * The refresh token is bound to a DPoP key (RFC 9449 §5) and the request carries no proof, or
 * a proof by another key. 400 `invalid_grant`: the proof may be valid, but the grant is not
 * this key's (RFC 6749 §5.2: "issued to another client"). Nothing was rotated or revoked, so a
 * thief without the key cannot burn the family. `reason` says which, for logs.
 *
 * @example
 * catch (e) { if (e instanceof RefreshTokenBindingError) audit.warn('refresh without its key', e.reason) }
 */
export class RefreshTokenBindingError extends IssuerError {
  readonly code = 'ERR_REFRESH_TOKEN_BINDING';
  /** No proof, or a proof by another key (not part of the response body). */
  readonly reason: RefreshTokenBindingReason;
  constructor(reason: RefreshTokenBindingReason, message = 'The refresh token is invalid') {
    super(message);
    this.reason = reason;
  }
}

/**
 * The token request's DPoP proof is invalid or was already used (RFC 9449 §4.3, §11.1).
 * 400 `invalid_dpop_proof` (RFC 9449 §5); `code` is core's (`ERR_DPOP_PROOF_INVALID`,
 * `ERR_DPOP_PROOF_REPLAYED`), the message says what was wrong, `cause` is core's error.
 *
 * @example
 * catch (e) { if (e instanceof DpopProofError) res.status(400).set(e.headers).json(e.toJSON()) }
 */
export class DpopProofError extends IssuerError {
  override readonly oauthError = 'invalid_dpop_proof' as const;
  readonly code: string;
  constructor(cause: InvalidDpopProofError) {
    super(cause.message, { cause });
    this.code = cause.code;
  }
}

/**
 * The issuer requires a DPoP nonce (RFC 9449 §8): the proof carried none, or a stale one.
 * 400 `use_dpop_nonce` with the nonce in the `DPoP-Nonce` header; the client retries with a
 * new proof that carries it.
 *
 * @example
 * catch (e) { if (e instanceof DpopNonceError) res.status(400).set(e.headers).json(e.toJSON()) } // DPoP-Nonce: e.nonce
 */
export class DpopNonceError extends IssuerError {
  override readonly oauthError = 'use_dpop_nonce' as const;
  readonly code = 'ERR_DPOP_NONCE_REQUIRED';
  /** The nonce the next proof must carry. */
  readonly nonce: string;
  constructor(nonce: string, options?: { cause?: unknown }) {
    super('A DPoP nonce is required', options);
    this.nonce = nonce;
  }
  override get headers(): Record<string, string> {
    return { ...super.headers, 'DPoP-Nonce': this.nonce };
  }
}
