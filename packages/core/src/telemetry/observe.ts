// The verifier's event seam: the `logger` and `telemetry` options checked once, combined with
// the runtime's own receiver (the Node entry's diagnostics_channel publisher), and the one
// wrapper that times a verification and reports its outcome.
import { isTokengateError } from '../errors.js';
import type { Telemetry, TokengateLogger, VerificationEvent } from './types.js';

/**
 * Who hears about one verifier: its logger (`undefined` when silenced) and its telemetry
 * (`undefined` when nobody listens).
 *
 * @example
 * const observer = createObserver(options, nodeTelemetry);
 */
export interface Observer {
  readonly logger: TokengateLogger | undefined;
  readonly telemetry: Telemetry | undefined;
}

function checkLogger(logger: unknown): TokengateLogger | undefined {
  if (logger === false) return undefined;
  if (logger === undefined) return typeof console === 'undefined' ? undefined : console;
  if (logger === null || typeof logger !== 'object')
    throw new TypeError(
      '"logger" must be a logger with warn/error and info (or log) methods, or false',
    );
  const has = (name: string) => typeof (logger as Record<string, unknown>)[name] === 'function';
  for (const level of ['warn', 'error'])
    if (!has(level))
      throw new TypeError(`"logger" has no ${level}() method (pass console, app.log, or false)`);
  if (!has('info') && !has('log'))
    throw new TypeError('"logger" has neither info() nor log() (pass console, app.log, or false)');
  return logger as TokengateLogger;
}

function checkTelemetry(telemetry: unknown): Telemetry | undefined {
  if (telemetry === undefined) return undefined;
  const methods = telemetry as Record<string, unknown> | null;
  if (
    methods === null ||
    typeof methods !== 'object' ||
    (methods.startVerification !== undefined && typeof methods.startVerification !== 'function') ||
    (methods.keySetFetch !== undefined && typeof methods.keySetFetch !== 'function')
  )
    throw new TypeError(
      '"telemetry" must be an object with startVerification() and/or keySetFetch(), such as otelTelemetry()',
    );
  return telemetry as Telemetry;
}

// Both receivers hear every event; a verification is skipped only when both skip it.
function combine(a: Telemetry, b: Telemetry): Telemetry {
  return {
    startVerification() {
      const first = safely(() => a.startVerification?.());
      const second = safely(() => b.startVerification?.());
      if (first === undefined) return second;
      if (second === undefined) return first;
      return (event) => {
        first(event);
        second(event);
      };
    },
    keySetFetch(event) {
      safely(() => a.keySetFetch?.(event));
      safely(() => b.keySetFetch?.(event));
    },
  };
}

/**
 * Check the `logger` and `telemetry` options (`TypeError` naming the option) and combine
 * `telemetry` with the runtime's own receiver.
 *
 * @example
 * const { logger, telemetry } = createObserver({ logger: false }, undefined);
 */
export function createObserver(
  options: { logger?: TokengateLogger | false; telemetry?: Telemetry },
  runtime: Telemetry | undefined,
): Observer {
  const logger = checkLogger(options.logger);
  const own = checkTelemetry(options.telemetry);
  const telemetry = own && runtime ? combine(runtime, own) : (own ?? runtime);
  return { logger, telemetry };
}

/**
 * Run `fn`, ignoring what it throws: a failing logger or metrics backend must never turn
 * into a failed verification.
 *
 * @example
 * safely(() => logger.warn(message, details));
 */
export function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function failure(error: unknown, durationMs: number): VerificationEvent {
  if (isTokengateError(error))
    return { outcome: 'failure', code: error.code, status: error.status, durationMs, error };
  // Not the client's fault (a broken key configuration): the adapters answer 500.
  const code = error instanceof Error ? error.name : 'Error';
  return { outcome: 'failure', code, status: 500, durationMs, error };
}

function now(): number {
  return typeof performance === 'undefined' ? Date.now() : performance.now();
}

/**
 * Run one verification `verify(ctx, token, hit)` and report its outcome to `telemetry`,
 * keeping its shape: a value when it answered at once, a promise when it waited. Arguments
 * are passed through rather than closed over, so nothing is allocated when nobody listens.
 *
 * @example
 * return observeVerification(ctx.telemetry, verifyOnce, ctx, token, hit);
 */
export function observeVerification<C, H, T extends { claims: { iss?: unknown } }>(
  telemetry: Telemetry,
  verify: (ctx: C, token: string, hit: H) => T | Promise<T>,
  ctx: C,
  token: string,
  hit: H,
): T | Promise<T> {
  let end: ((event: VerificationEvent) => void) | undefined;
  try {
    end = telemetry.startVerification?.();
  } catch {
    // A failing receiver never fails a verification.
  }
  if (end === undefined) return verify(ctx, token, hit);
  const report = end;
  const started = now();
  const succeed = (auth: T): T => {
    const iss = auth.claims.iss;
    const event: VerificationEvent = { outcome: 'success', durationMs: now() - started };
    if (typeof iss === 'string') event.issuer = iss;
    safely(() => report(event));
    return auth;
  };
  const fail = (error: unknown): never => {
    safely(() => report(failure(error, now() - started)));
    throw error;
  };
  let result: T | Promise<T>;
  try {
    result = verify(ctx, token, hit);
  } catch (error) {
    return fail(error);
  }
  return result instanceof Promise ? result.then(succeed, fail) : succeed(result);
}
