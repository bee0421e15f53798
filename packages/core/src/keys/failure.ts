/**
 * Why a remote document fetch failed, as a typed cause: what an operator needs to fix it
 * (the status, the DNS or TLS error code), never "request failed". Web APIs only: the
 * runtime-specific detail is read from the error's `code` along its `cause` chain (undici's
 * `fetch failed` keeps the socket or TLS error there; Bun and Deno set `code` themselves).
 */
import type { KeySourceFailureCause } from './types.js';

/**
 * A failed fetch of a remote document (a JWK Set or a discovery document); the message is
 * safe to log.
 *
 * @example
 * throw new RemoteFetchError(url, { kind: 'http-status', status: 500 });
 */
export class RemoteFetchError extends Error {
  /** The URL that failed. */
  readonly url: string;
  /** Why, typed. */
  readonly failure: KeySourceFailureCause;
  constructor(url: string, failure: KeySourceFailureCause, options?: { cause?: unknown }) {
    super(`${describeFailure(failure)} (${url})`, options);
    this.name = 'RemoteFetchError';
    this.url = url;
    this.failure = failure;
  }

  /** HTTP status, when the server answered. */
  get httpStatus(): number | undefined {
    const { failure } = this;
    return failure.kind === 'http-status' || failure.kind === 'redirect'
      ? failure.status
      : undefined;
  }
}

/**
 * One short phrase for a cause, for log lines and `health().sources[…].lastError`.
 *
 * @example
 * describeFailure({ kind: 'dns', code: 'ENOTFOUND' }); // 'DNS lookup failed (ENOTFOUND)'
 */
export function describeFailure(cause: KeySourceFailureCause): string {
  switch (cause.kind) {
    case 'http-status':
      return `unexpected HTTP status ${cause.status}`;
    case 'redirect':
      return `redirect refused (HTTP ${cause.status}${cause.location ? ` to ${cause.location}` : ''}; configure the final URL)`;
    case 'timeout':
      return `timed out after ${cause.timeoutMs} ms`;
    case 'dns':
      return `DNS lookup failed (${cause.code})`;
    case 'tls':
      return `TLS handshake failed (${cause.code})`;
    case 'network':
      return `connection failed (${cause.code ?? cause.message})`;
    case 'not-json':
      return 'response is not a JSON object';
    case 'too-large':
      return `response larger than ${cause.limit} bytes`;
    case 'not-jwk-set':
      return 'response is not a JWK Set (no "keys" array)';
    case 'no-usable-key':
      return 'JWK Set holds no usable verification key';
    case 'bad-discovery':
      return `discovery document refused (${cause.reason})`;
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
// Node's TLS verification codes (OpenSSL X509_V_ERR_* names and Node's ERR_TLS_*/ERR_SSL_*).
const TLS_CODE =
  /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|INVALID_CA$|INVALID_PURPOSE$)/;

// The first string `code` along the cause chain (a few levels: undici wraps once, an
// AggregateError of several addresses once more).
function codeOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const { code, cause, errors } = current as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && code) return code;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

/**
 * The cause of a `fetch` that threw (no HTTP answer): DNS, TLS or another network error.
 *
 * @example
 * networkFailure(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } })); // { kind: 'dns', code: 'ENOTFOUND' }
 */
export function networkFailure(error: unknown): KeySourceFailureCause {
  const code = codeOf(error);
  if (code !== undefined && DNS_CODES.has(code)) return { kind: 'dns', code };
  if (code !== undefined && TLS_CODE.test(code)) return { kind: 'tls', code };
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? { kind: 'network', message } : { kind: 'network', code, message };
}
