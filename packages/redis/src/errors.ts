import { StoreUnavailableError } from '@tokengate/core';

/**
 * Why Redis could not answer: no reply within the timeout, or the client or server failed.
 *
 * @example
 * if (e instanceof RedisUnavailableError && e.reason === 'timeout') metrics.count('redis_timeout');
 */
export type RedisUnavailableReason = 'timeout' | 'error';

/**
 * Redis did not answer within the timeout, or the command failed (connection refused or
 * lost, client offline, server error): core's `StoreUnavailableError` (503 with `Retry-After`,
 * no challenge, `temporarily_unavailable`) with its own code. A request that needs the shared
 * state is refused rather than accepted without it. The underlying error stays in `cause`.
 *
 * @example
 * catch (e) { if (e instanceof RedisUnavailableError) log.warn('redis', e.reason, e.cause) }
 */
export class RedisUnavailableError extends StoreUnavailableError {
  override readonly code = 'ERR_REDIS_UNAVAILABLE';
  /** `timeout`: no reply within the store's timeout; `error`: the command failed. */
  readonly reason: RedisUnavailableReason;

  constructor(
    reason: RedisUnavailableReason,
    options?: { cause?: unknown; retryAfter?: number; message?: string },
  ) {
    super(options?.message ?? 'The shared token state is temporarily unavailable', options);
    this.reason = reason;
  }
}
