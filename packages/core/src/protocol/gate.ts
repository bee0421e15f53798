// The request protocol: extract → optional mode → verify → route checks → answer. Written
// once here so that every adapter behaves the same; an adapter only builds the exchange.
import { challengeOptions } from '../challenge.js';
import {
  AuthenticationNotRunError,
  isTokengateError,
  MissingTokenError,
  type TokengateError,
} from '../errors.js';
import type { AuthInfo } from '../types.js';
import type { Verifier } from '../verifier-types.js';
import { PassWithHeaders } from '../verify/context.js';
import { type Authenticate, authenticatorOf } from './immediate.js';
import { NO_RULES, type RouteRules } from './rules.js';
import type { Exchange, Refusal, Responder } from './view.js';

/**
 * One verifier wrapped in the request protocol. Build it once, when the middleware, plugin
 * or guard is created.
 *
 * @example
 * const gate = createGate(createVerifier(options));
 * gate.authenticate(new MyExchange(req, res, next), rules);
 */
export interface Gate {
  /** The verifier this gate runs. */
  readonly verifier: Verifier<unknown>;
  /**
   * Authenticate the request and run the route's rules, then call the exchange's `pass`,
   * `refuse` or `fail` once. Returns what that call returned: itself when nothing was
   * asynchronous, else a promise of it.
   */
  authenticate<R>(exchange: Exchange<R>, rules?: RouteRules): R | Promise<R>;
  /**
   * Run a route's rules on what this gate's authentication left on the request (a guard
   * placed after the authentication middleware): `pass` or `refuse`, synchronously.
   */
  authorize<R>(responder: Responder<R>, auth: AuthInfo | undefined, rules: RouteRules): R;
  /**
   * The ready answer to a tokengate error raised by adapter code, with this gate's challenge
   * (and, on a 401, the `scope` of `rules` when given).
   */
  refusal(error: TokengateError, rules?: RouteRules): Refusal;
}

/**
 * Whether `value` is a verifier (an object with `authenticate`) rather than verifier options:
 * how an adapter that takes either tells them apart.
 *
 * @example
 * const gate = createGate(isVerifier(source) ? source : createVerifier(source));
 */
export function isVerifier(value: unknown): value is Verifier<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Verifier<unknown>).authenticate === 'function'
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Wrap a verifier in the request protocol. Throws `TypeError` for anything that is not a
 * verifier (an object with `authenticate`).
 *
 * @example
 * const gate = createGate(verifier);
 */
export function createGate(verifier: Verifier<unknown>): Gate {
  if (!isVerifier(verifier)) throw new TypeError('createGate() expects a verifier');
  const authenticateRequest: Authenticate = authenticatorOf(verifier);
  // Read once. A hand-made verifier (a test double) may have no options: then the errors it
  // throws keep the challenge they carry, with the default realm where they name none.
  const options = verifier.options as Verifier<unknown>['options'] | undefined;
  const challenge = options === undefined ? undefined : challengeOptions(options);
  // A protected resource (RFC 9728, the `resource` option) tells a client refused with a 401
  // which scopes the route needs, so that it asks for them (the MCP authorization spec); a
  // 403 `insufficient_scope` names them in any case.
  const announceScopes = options?.resource !== undefined;

  function refusal(error: TokengateError, rules: RouteRules = NO_RULES): Refusal {
    const base = challenge ?? challengeOptions(error.challengeOptions);
    error.challengeOptions =
      announceScopes && error.status === 401 && rules.scopes !== undefined
        ? { ...base, scope: rules.scopes.join(' ') }
        : { ...base };
    const { status, headers, body } = error.toResponse();
    return { status, headers, body, error };
  }

  function answerError<R>(responder: Responder<R>, error: unknown, rules: RouteRules): R {
    return isTokengateError(error)
      ? responder.refuse(refusal(error, rules))
      : responder.fail(error);
  }

  // `pass` stays outside the try: what the rest of the chain throws is the application's
  // error, never taken for an authentication failure.
  function authorize<R>(
    responder: Responder<R>,
    auth: AuthInfo | undefined,
    rules: RouteRules,
    headers?: Readonly<Record<string, string>>,
  ): R {
    if (rules.checks.length > 0) {
      try {
        // An anonymous request cannot meet a requirement: answered as a missing token.
        if (auth === undefined) throw new MissingTokenError();
        for (const check of rules.checks) check(auth);
      } catch (error) {
        return answerError(responder, error, rules);
      }
    }
    return responder.pass(auth, headers);
  }

  function authenticate<R>(exchange: Exchange<R>, rules: RouteRules = NO_RULES): R | Promise<R> {
    let result: ReturnType<Authenticate>;
    try {
      result = authenticateRequest(exchange, rules.optional);
    } catch (error) {
      return answerError(exchange, error, rules);
    }
    if (!isPromiseLike(result)) return authorize(exchange, result, rules);
    // Any thenable is pending: a foreign promise from a hand-made verifier is awaited, never
    // taken for claims.
    return Promise.resolve(result)
      .then(
        (auth) =>
          auth instanceof PassWithHeaders
            ? authorize(exchange, auth.auth as AuthInfo, rules, auth.headers)
            : authorize(exchange, auth, rules),
        (error: unknown) => answerError(exchange, error, rules),
      )
      .catch((thrown: unknown) => exchange.fail(thrown));
  }

  return Object.freeze({ verifier, authenticate, authorize, refusal });
}

/**
 * The answer of a guard (`requireScopes()` and the like) on a request that no authentication
 * ran on: refused with a 500 {@link AuthenticationNotRunError}, never let through.
 *
 * @example
 * if (gate === undefined) return authorizeUnauthenticated(responder, 'requireScopes()');
 */
export function authorizeUnauthenticated<R>(responder: Responder<R>, guard: string): R {
  const error = new AuthenticationNotRunError(guard);
  const { status, headers, body } = error.toResponse();
  return responder.refuse({ status, headers, body, error });
}
