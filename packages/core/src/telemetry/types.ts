// What the verifier tells the outside world: log lines about its key sources, and events for
// those who count (verification outcomes, key-set fetches). Types only: every runtime.
import type { KeySourceFailureCause } from '../keys/types.js';

/**
 * Where the verifier writes its few log lines: the first failure of a remote key source, its
 * recovery. `console`, Nest's `Logger` (which has `log` instead of `info`) and any logger
 * whose methods take a message first fit as they are. pino (and so Fastify's `app.log`) takes
 * the details object first: passed as is, it keeps the message, which names the URL and the
 * cause, and drops the details; the Fastify adapter swaps the two for you.
 *
 * @example
 * createVerifier({ ...options, logger: console });
 * createVerifier({ ...options, logger: { info: (m, d) => log.info(d, m), warn: (m, d) => log.warn(d, m), error: (m, d) => log.error(d, m) } });
 */
export interface TokengateLogger {
  /** A key source works again (loggers without `info` get it through `log`). */
  info?(message: string, details: Record<string, unknown>): void;
  /** A key source works again, on loggers without `info` (Nest's `Logger`). */
  log?(message: string, details: Record<string, unknown>): void;
  /** A key source fails, and the last good set still verifies tokens. */
  warn(message: string, details: Record<string, unknown>): void;
  /** A key source fails, and tokens that need it get 503. */
  error(message: string, details: Record<string, unknown>): void;
}

/**
 * The outcome of one verification, for metrics and traces.
 *
 * @example
 * const end = (event: VerificationEvent) => counter.add(1, { outcome: event.outcome, code: event.code });
 */
export interface VerificationEvent {
  /** `success`: the token verified; `failure`: it was refused, or could not be checked. */
  outcome: 'success' | 'failure';
  /** The error's stable code (`ERR_TOKEN_EXPIRED`, `ERR_KEY_SET_UNAVAILABLE`, …), on failure. */
  code?: string;
  /** The HTTP status the failure answers with (401, 503, 500), on failure. */
  status?: number;
  /** The verified `iss`, on success (an allow-listed value, never the unverified one). */
  issuer?: string;
  /** Wall time of the verification, ms. */
  durationMs: number;
  /** What was thrown, on failure. */
  error?: unknown;
}

/**
 * One fetch of a remote key source (its JWK Set, with its discovery document first when
 * `discovery` is on), successful or not.
 *
 * @example
 * const log = (event: KeySetFetchEvent) => event.cause && console.warn(event.url, event.cause.kind);
 */
export interface KeySetFetchEvent {
  /** The key source: its `jwksUri`, or its issuer under `discovery`. */
  source: string;
  /** The URL fetched last: the JWK Set's, or the discovery document's when that failed. */
  url: string;
  outcome: 'success' | 'failure';
  /** Usable keys in the fetched set, on success. */
  keyCount?: number;
  /** Why it failed, on failure. */
  cause?: KeySourceFailureCause;
  /** Wall time of the fetch, ms. */
  durationMs: number;
}

/**
 * A receiver of verification and key-set events: the `telemetry` option. `otelTelemetry()`
 * from `@tokengate/core/otel` is one (spans and a counter); write your own for other
 * systems. Both methods are optional; a throw is ignored, never a failed verification.
 *
 * @example
 * const telemetry: Telemetry = {
 *   startVerification: () => (event) => metrics.increment('auth', { outcome: event.outcome, code: event.code }),
 * };
 */
export interface Telemetry {
  /**
   * Called as a verification starts (in the caller's context, so a span started here has the
   * request's span as parent). Return a function to receive the outcome, or `undefined` to
   * skip this verification.
   */
  startVerification?(): ((event: VerificationEvent) => void) | undefined;
  /** Called after each fetch of a remote key source. */
  keySetFetch?(event: KeySetFetchEvent): void;
}
