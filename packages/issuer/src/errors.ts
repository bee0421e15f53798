import { type ErrorBody, TokengateError } from '@tokengate/core';

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
  /** RFC 6749 §5.2 error code sent in the body. */
  readonly oauthError = 'invalid_grant' as const;

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

/** Why a refresh token was refused; for logs, never sent to the client. */
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
